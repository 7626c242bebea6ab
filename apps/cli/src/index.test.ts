import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type CliIo, run } from './index.js';

function io(env: Record<string, string> = {}): CliIo & { out: () => string; errors: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { PC_CONFIG_DIR: '/nonexistent/pc-test', ...env },
    cwd: process.cwd(),
    out: () => Buffer.concat(out).toString('utf8'),
    errors: () => Buffer.concat(err).toString('utf8'),
  };
}

describe('run', () => {
  it('prints help without arguments, and the version', async () => {
    const streams = io();
    expect(await run([], streams)).toBe(0);
    expect(streams.out()).toContain('Usage: pc');
    const version = io();
    expect(await run(['--version'], version)).toBe(0);
    expect(version.out()).toMatch(/\d+\.\d+\.\d+/);
  });
  it('prints the help of a command group run bare, exit 0 (as gh and az)', async () => {
    for (const argv of [['licenses'], ['insights']]) {
      const streams = io();
      expect(await run(argv, streams)).toBe(0);
      expect(streams.out()).toContain(`Usage: pc ${argv[0]}`);
      expect(streams.errors()).toBe('');
    }
  });
  it('maps parse errors to exit 2, on stderr only', async () => {
    for (const argv of [
      ['licenses', 'deployment', '--nope'],
      ['nope'],
      ['licenses', 'deploymnt'],
      ['completion', 'tcsh'],
    ]) {
      const streams = io();
      expect(await run(argv, streams)).toBe(2);
      expect(streams.out()).toBe('');
      expect(streams.errors()).not.toBe('');
    }
  });
  it('refuses a bad PC_OUTPUT as a usage error, and reports missing credentials as exit 4', async () => {
    const badOutput = io({ PC_OUTPUT: 'xml' });
    expect(await run(['licenses', 'deployment'], badOutput)).toBe(2);
    expect(badOutput.errors()).toMatch(/PC_OUTPUT/);
    const noCredentials = io();
    expect(await run(['licenses', 'deployment'], noCredentials)).toBe(4);
    expect(noCredentials.errors()).toMatch(/no credentials/);
  });
  it('reports a module that cannot be loaded and goes on', async () => {
    const streams = io({ PC_MODULES: 'no-such-module-package' });
    expect(await run(['help', 'environment'], streams)).toBe(0);
    expect(streams.errors()).toMatch(/module 'no-such-module-package' not loaded/);
  });
});
