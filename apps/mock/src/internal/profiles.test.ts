import { describe, expect, it } from 'vitest';
import { formatSwitchValue, parseOnOff, rawQuery } from './profiles.js';

describe('rawQuery', () => {
  it('decodes printable ASCII but keeps what would split the query differently', () => {
    expect(rawQuery('filter=channel%20eq%20%27reseller%27&top=5')).toBe("filter=channel eq 'reseller'&top=5");
    expect(rawQuery('filter=a%26b%3Dc%25d%23e%2Bf')).toBe('filter=a%26b%3Dc%25d%23e%2Bf');
    expect(rawQuery('name=M%C3%BCller%0A')).toBe('name=M%C3%BCller%0A');
    expect(rawQuery('bad=%zz%2')).toBe('bad=%zz%2');
  });
});

describe('switch values', () => {
  it('reads on/off and prints values', () => {
    expect(parseOnOff('--bom', 'ON')).toBe(true);
    expect(parseOnOff('--bom', 'no')).toBe(false);
    expect(() => parseOnOff('--bom', 'sometimes')).toThrow(/--bom must be on or off, got 'sometimes'/);
    expect(formatSwitchValue(undefined)).toBe('none');
    expect(formatSwitchValue(true)).toBe('on');
    expect(formatSwitchValue({ a: 0.1, b: false })).toBe('a=0.1,b=off');
  });
});
