import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

describe('README', () => {
  it('starts with the example in test/readmeExample.ts, verbatim', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./readmeExample.ts', import.meta.url), 'utf8');
    const firstBlock = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(firstBlock).toBe(example);
  });

  it('runs the example, whose assertions hold', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await import('./readmeExample.js');
    expect(log).toHaveBeenCalledWith(expect.stringContaining('Unknown field "licensesActive"'));
    log.mockRestore();
  });
});
