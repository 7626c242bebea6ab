import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  configDirectory,
  configFilePath,
  parseConfig,
  readConfig,
  resolveSettings,
  writeConfig,
} from './config.js';
import { CliError, UsageError } from './exitCodes.js';

describe('config file location', () => {
  it('prefers PC_CONFIG_DIR, then XDG_CONFIG_HOME/pc, then ~/.config/pc', () => {
    expect(configDirectory({ PC_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/x', HOME: '/h' }, 'linux')).toBe('/a');
    expect(configDirectory({ XDG_CONFIG_HOME: '/x', HOME: '/h' }, 'linux')).toBe(join('/x', 'pc'));
    expect(configDirectory({ HOME: '/h' }, 'linux')).toBe(join('/h', '.config', 'pc'));
    expect(configFilePath({ PC_CONFIG_DIR: '/a' })).toBe(join('/a', 'config.json'));
  });
});

describe('precedence: flags > environment > config file > defaults', () => {
  const config = {
    baseUrl: 'http://config',
    locale: 'fr-FR',
    output: 'csv' as const,
    tenantId: 'config-tenant',
  };
  it('takes the flag over everything', () => {
    const settings = resolveSettings({
      flags: { baseUrl: 'http://flag', output: 'yaml' },
      env: { PC_BASE_URL: 'http://env', PC_OUTPUT: 'tsv' },
      config,
    });
    expect(settings.baseUrl).toEqual({ value: 'http://flag', source: 'flag' });
    expect(settings.output).toEqual({ value: 'yaml', source: 'flag' });
  });
  it('takes the environment over the config file', () => {
    const settings = resolveSettings({
      flags: {},
      env: { PC_BASE_URL: 'http://env', PC_TENANT_ID: 'env-tenant' },
      config,
    });
    expect(settings.baseUrl).toEqual({ value: 'http://env', source: 'env' });
    expect(settings.tenantId).toEqual({ value: 'env-tenant', source: 'env' });
    expect(settings.locale).toEqual({ value: 'fr-FR', source: 'config' });
    expect(settings.output).toEqual({ value: 'csv', source: 'config' });
  });
  it('falls back to defaults, and treats empty values as unset', () => {
    const settings = resolveSettings({ flags: { baseUrl: '' }, env: { PC_BASE_URL: '' }, config: {} });
    expect(settings.baseUrl).toEqual({ value: 'https://api.partnercenter.microsoft.com', source: 'default' });
    expect(settings.authorityUrl.value).toBe('https://login.microsoftonline.com');
    expect(settings.locale.value).toBe('en-US');
    expect(settings.output.value).toBeUndefined();
  });
  it('reads PC_MODULES as a comma-separated list over the config list', () => {
    expect(
      resolveSettings({ flags: {}, env: { PC_MODULES: ' a , b,' }, config: { modules: ['c'] } }).modules
        .value,
    ).toEqual(['a', 'b']);
    expect(resolveSettings({ flags: {}, env: {}, config: { modules: ['c'] } }).modules.value).toEqual(['c']);
  });
  it('refuses an unknown output format as a usage error', () => {
    expect(() => resolveSettings({ flags: {}, env: { PC_OUTPUT: 'xml' }, config: {} })).toThrow(UsageError);
  });
});

describe('config file I/O', () => {
  it('writes with 0600 permissions and reads back', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'pc-config-'));
    const path = join(directory, 'nested', 'config.json');
    await writeConfig(path, { tenantId: 't', refreshToken: 'secret-refresh' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readConfig(path)).toEqual({ tenantId: 't', refreshToken: 'secret-refresh' });
    expect(await readConfig(join(directory, 'missing.json'))).toEqual({});
  });
  it('reports invalid JSON without quoting the file (which may hold secrets)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'pc-config-'));
    const path = join(directory, 'config.json');
    await writeFile(path, '{"refreshToken": "very-secret-value" oops');
    const error = await readConfig(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).not.toContain('very-secret-value');
    expect(await readFile(path, 'utf8')).toContain('oops');
  });
  it('checks field types', () => {
    expect(() => parseConfig({ modules: 'x' }, 'c.json')).toThrow(/modules/);
    expect(() => parseConfig({ output: 'xml' }, 'c.json')).toThrow(/output/);
    expect(parseConfig({ tenantId: 't', unknown: 1 }, 'c.json')).toEqual({ tenantId: 't' });
  });
});

describe('moduleNames', () => {
  it('takes PC_MODULES over the config file list', async () => {
    const { moduleNames } = await import('./config.js');
    expect(moduleNames({ PC_MODULES: 'a,b' }, { modules: ['c'] })).toEqual(['a', 'b']);
    expect(moduleNames({}, { modules: ['c'] })).toEqual(['c']);
    expect(moduleNames({ PC_MODULES: '' }, {})).toEqual([]);
  });
});
