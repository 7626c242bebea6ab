/**
 * `@pc/transport`: an undici client for Partner Center (auth, headers, retries, timeouts, paging
 * and errors). Start with {@link createTransport}.
 */
export { createTransport } from './transport.js';
export { encodeQuery } from './encodeQuery.js';
export { resolveNextLink } from './nextLink.js';
export { PartnerCenterError, isPartnerCenterError } from './errors.js';
export { createStaticTokenProvider } from './tokenProvider.js';
export { redactText, SecretRedactor, secretEncodings } from './redaction.js';
export {
  appOnlyWarning,
  createClientCredentialsProvider,
  createRefreshTokenProvider,
} from './entraTokenProviders.js';
export {
  createBrowserProvider,
  createCertificateProvider,
  createDeviceCodeProvider,
  createTokenCredentialProvider,
  partnerCenterUserScope,
  readCertificateCredential,
} from './msalTokenProviders.js';

export type { QueryParams } from './encodeQuery.js';
export type { PartnerCenterErrorCode, PartnerCenterErrorInit } from './errors.js';
export type { AccessToken, GetTokenOptions, TokenProvider } from './tokenProvider.js';
export type {
  ClientCredentialsProviderOptions,
  EntraOptions,
  RefreshTokenProviderOptions,
} from './entraTokenProviders.js';
export type {
  BrowserProviderOptions,
  CertificateCredential,
  CertificateProviderOptions,
  DeviceCodePrompt,
  DeviceCodeProviderOptions,
  MsalCacheStore,
  MsalProviderOptions,
  TokenCredentialLike,
  TokenCredentialProviderOptions,
} from './msalTokenProviders.js';
export type {
  AttemptErrorEvent,
  ByPageOptions,
  DeferredJsonResponse,
  JsonResponse,
  Page,
  PagedAsyncIterable,
  PageParser,
  PageRequestOptions,
  RequestEvent,
  RequestOptions,
  ResponseEvent,
  RetryEvent,
  RetryOptions,
  Transport,
  TransportHooks,
  TransportOptions,
} from './types.js';
