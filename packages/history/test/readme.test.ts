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
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toContain("from '@pc/history'");
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    writeFileSync(`${scratch}example.ts`, code ?? '');
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    try {
      await import(/* @vite-ignore */ `${scratch}example.ts`);
    } finally {
      log.mockRestore();
    }
    expect(lines[0]).toMatch(/^2026-11-01: stored, \d+ rows$/);
    expect(lines[1]).toMatch(/^2026-11-20: stored, \d+ rows$/);
    expect(lines[2]).toBe('unchanged');
    expect(lines[3]).toMatch(/^2026-11-01: [1-9]\d* deployment rows$/);
    expect(lines.slice(4).join('\n')).toMatch(
      /^o365: sold \d+ -> \d+\ncrm: sold \d+ -> \d+$|^crm: sold \d+ -> \d+\no365: sold \d+ -> \d+$/,
    );
  }, 400_000);
});
