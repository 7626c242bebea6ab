import { describe, expect, it } from 'vitest';
import { guidFrom, hash3 } from './prng.js';

const strictV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('guidFrom', () => {
  it('makes version-4 GUIDs (version nibble and variant bits in their places) that differ per input', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 2000; index++) {
      const guid = guidFrom(hash3(1, index, 0), hash3(1, index, 1), hash3(1, index, 2), hash3(1, index, 3));
      expect(guid).toMatch(strictV4);
      seen.add(guid);
    }
    expect(seen.size).toBe(2000);
  });
});
