import { createRequire } from 'node:module';

/**
 * undici, loaded on first use: about 70 files that a program importing `@pc/transport` (the `pc`
 * CLI showing its help, say) should not pay for before it sends a request (decisions/0019). A
 * synchronous `require` (undici is CommonJS) keeps the callers synchronous.
 */
let loaded: typeof import('undici') | undefined;

/** The undici module, required once. */
export function undici(): typeof import('undici') {
  loaded ??= createRequire(import.meta.url)('undici') as typeof import('undici');
  return loaded;
}
