import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, parseMockFlags } from './cli.js';
import { switchDocs } from './internal/profiles.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseMockFlags', () => {
  it('maps every flag to an option', () => {
    expect(
      parseMockFlags([
        '--port',
        '0',
        '--host',
        '::1',
        '--seed',
        '7',
        '--customers',
        '100000',
        '--snapshots',
        '5',
        '--faults',
        '429=0.1,503=0.05',
        '--fault-seed',
        '9',
        '--latency',
        '20-200',
        '--rate-limit',
        '100/10',
        '--client-id',
        'id',
        '--client-secret',
        'secret',
        '--refresh-token',
        'rt',
        '--admin-token',
        'adm',
        '--quiet',
      ]),
    ).toEqual({
      port: 0,
      host: '::1',
      seed: 7,
      customers: 100000,
      snapshots: 5,
      faults: '429=0.1,503=0.05',
      faultSeed: 9,
      latency: '20-200',
      rateLimit: '100/10',
      clientId: 'id',
      clientSecret: 'secret',
      refreshToken: 'rt',
      adminToken: 'adm',
      quiet: true,
    });
    expect(parseMockFlags([])).toEqual({});
  });

  it('throws a clear error on a bad flag', () => {
    expect(() => parseMockFlags(['--port', 'abc'])).toThrow(/--port expects an integer/);
    expect(() => parseMockFlags(['--bogus'])).toThrow(/bogus/);
    expect(() => parseMockFlags(['extra'])).toThrow(/unexpected argument 'extra'/);
  });
});

describe('main', () => {
  it('prints help and returns 0', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['--help'])).toBe(0);
    expect(String(write.mock.calls[0]?.[0])).toContain('Usage: pc-mock');
  });

  it('describes the profile and every switch with each profile value and its evidence rows', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await main(['--help']);
    const text = String(write.mock.calls[0]?.[0]);
    expect(text).toContain('--profile <name>');
    for (const doc of switchDocs) {
      const at = text.indexOf(doc.flag);
      expect(at, doc.flag).toBeGreaterThan(-1);
      const block = text.slice(at, text.indexOf(']', at) + 1);
      expect(block, doc.flag).toContain(`[${doc.evidence}]`);
      expect(block, doc.flag).toMatch(/\(ideal [^,]+, realistic [^)]+\)/);
    }
  });

  it('returns 2 with a message on stderr for bad flags and bad option values', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['--port', 'x'])).toBe(2);
    expect(String(stderr.mock.calls[0]?.[0])).toContain('--port');
    expect(await main(['--faults', '429=2', '--port', '0'])).toBe(2);
    expect(await main(['--rate-limit', 'fast', '--port', '0'])).toBe(2);
  });
});
