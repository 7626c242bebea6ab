import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const scratch = fileURLToPath(new URL('./.readme-example/', import.meta.url));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('README', () => {
  it('has an example that runs against the mock', async () => {
    const match = /```ts\n([\s\S]*?)```/.exec(readme);
    expect(match).not.toBeNull();
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    writeFileSync(`${scratch}example.ts`, match![1]!);
    const lines: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args);
    });
    try {
      await import(/* @vite-ignore */ `${scratch}example.ts`);
    } finally {
      log.mockRestore();
    }
    expect(lines).toHaveLength(1);
    const [active, byType, expiring] = lines[0]!;
    expect(active).toBeGreaterThan(0);
    expect((byType as unknown[]).length).toBe(5);
    expect((expiring as unknown[]).length).toBe(5);
  });
});
