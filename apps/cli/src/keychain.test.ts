import { describe, expect, it } from 'vitest';
import { ExitCode } from './exitCodes.js';
import { KeychainUnavailableError, tokenStorePreference } from './keychain.js';

describe('PC_TOKEN_STORE', () => {
  it('is auto when unset or empty, and takes keychain and file in any case', () => {
    expect(tokenStorePreference({})).toBe('auto');
    expect(tokenStorePreference({ PC_TOKEN_STORE: '' })).toBe('auto');
    expect(tokenStorePreference({ PC_TOKEN_STORE: ' Keychain ' })).toBe('keychain');
    expect(tokenStorePreference({ PC_TOKEN_STORE: 'FILE' })).toBe('file');
  });

  it('refuses another value with a usage error naming the variable', () => {
    expect(() => tokenStorePreference({ PC_TOKEN_STORE: 'vault' })).toThrow(
      /PC_TOKEN_STORE must be auto, keychain or file, got 'vault'/,
    );
  });

  it('an unreachable keychain is an authentication failure (exit 4) with a way out', () => {
    const error = new KeychainUnavailableError('the OS keychain cannot be reached: no bus');
    expect(error.exitCode).toBe(ExitCode.auth);
    expect(error.hint).toMatch(/PC_TOKEN_STORE=file/);
  });
});
