import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const scratch = fileURLToPath(new URL('./.readme-example/', import.meta.url));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('README', () => {
  it('starts with an example that runs against the mock', async () => {
    const match = /```ts\n([\s\S]*?)```/.exec(readme);
    expect(match).not.toBeNull();
    const code = match![1]!;
    expect(code).toContain("from '@pc/mock'");
    // The example is imported as a module (so its imports resolve as a user's would, through the
    // workspace), with console output captured.
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    writeFileSync(`${scratch}example.ts`, code);
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    const table = vi.spyOn(console, 'table').mockImplementation((rows: unknown) => {
      lines.push(`table:${(rows as unknown[]).length}`);
    });
    try {
      await import(/* @vite-ignore */ `${scratch}example.ts`);
    } finally {
      log.mockRestore();
      table.mockRestore();
    }
    expect(lines[0]).toMatch(/^unused Office 365 licenses: \d+$/);
    expect(lines[1]).toMatch(/: \d+\/\d+/);
    expect(lines[2]).toBe('table:5');
  });
});
