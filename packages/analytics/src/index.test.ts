import { packageName } from '@pc/models';
import { describe, expect, it } from 'vitest';
import { packageName as own } from './index.js';

describe('workspace resolution', () => {
  it('resolves siblings to source', () => {
    expect(packageName).toBe('@pc/models');
    expect(own).toBe('@pc/analytics');
  });
});
