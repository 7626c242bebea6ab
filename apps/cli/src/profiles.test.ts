import { describe, expect, it } from 'vitest';
import { profileFlag, profileNames, profileView, selectProfile, withProfile } from './profiles.js';

describe('profiles', () => {
  it('reads --profile ahead of the parser, the last one winning, never past --', () => {
    expect(profileFlag(['--profile', 'a', 'status'])).toBe('a');
    expect(profileFlag(['status', '--profile=b', '--profile', 'c'])).toBe('c');
    expect(profileFlag(['mock', '--', '--profile', 'x'])).toBeUndefined();
  });

  it('selects --profile, then PC_PROFILE, then the switched-to profile, then default', () => {
    const config = { activeProfile: 'work' };
    expect(selectProfile({ flag: 'a', env: { PC_PROFILE: 'b' }, config }).name).toBe('a');
    expect(selectProfile({ flag: undefined, env: { PC_PROFILE: 'b' }, config }).name).toBe('b');
    expect(selectProfile({ flag: undefined, env: {}, config }).name).toBe('work');
    expect(selectProfile({ flag: undefined, env: {}, config: {} }).name).toBe('default');
    expect(() => selectProfile({ flag: '../etc', env: {}, config: {} })).toThrow(/invalid profile name/);
  });

  it('reads top-level credentials of an earlier config as the default profile, and moves them when written', () => {
    const legacy = { tenantId: 't', clientId: 'c', refreshToken: 'r', locale: 'de-DE' };
    expect(profileView(legacy, 'default')).toMatchObject({
      tenantId: 't',
      refreshToken: 'r',
      locale: 'de-DE',
    });
    expect(profileView(legacy, 'mock')).toEqual({ locale: 'de-DE' });
    expect(profileNames(legacy)).toEqual(['default']);
    const written = withProfile(legacy, 'default', { tenantId: 't2', clientId: 'c' });
    expect(written).toEqual({ locale: 'de-DE', profiles: { default: { tenantId: 't2', clientId: 'c' } } });
  });

  it('replaces one profile and leaves the others; removing the active one unsets it', () => {
    const config = {
      activeProfile: 'mock',
      profiles: { default: { tenantId: 'a' }, mock: { tenantId: 'b' } },
    };
    const removed = withProfile(config, 'mock', undefined);
    expect(removed).toEqual({ profiles: { default: { tenantId: 'a' } } });
    expect(withProfile(removed, 'default', undefined)).toEqual({});
  });
});
