import { describe, expect, it } from 'vitest';
import { serializeRows, writeUint } from './rowBytes.js';

describe('rowBytes', () => {
  it('writes integers in decimal', () => {
    const target = Buffer.alloc(20);
    for (const value of [0, 7, 10, 99, 100, 12345, 4294967295, 9007199254740991]) {
      const end = writeUint(target, 0, value);
      expect(target.subarray(0, end).toString()).toBe(String(value));
    }
  });

  it('joins rows between a head and a tail', () => {
    const rows = [{ a: 1 }, { a: 22 }, { a: 333 }];
    const dataset = {
      maxRowBytes: 16,
      writeRow(index: number, target: Buffer, offset: number) {
        return offset + target.write(JSON.stringify(rows[index]), offset, 'utf8');
      },
    };
    expect(serializeRows({ dataset, indexes: [2, 0], from: 0, to: 2, head: '[', tail: ']' }).toString()).toBe(
      '[{"a":333},{"a":1}]',
    );
    expect(
      serializeRows({
        dataset,
        indexes: undefined,
        from: 1,
        to: 3,
        head: '{"Value":[',
        tail: ']}',
      }).toString(),
    ).toBe('{"Value":[{"a":22},{"a":333}]}');
    expect(
      serializeRows({ dataset, indexes: undefined, from: 0, to: 0, head: '[', tail: ']' }).toString(),
    ).toBe('[]');
  });
});
