import type { TokenProvider } from '@pc/transport';
import {
  createClientCredentialsProvider,
  createRefreshTokenProvider,
  createStaticTokenProvider,
  PartnerCenterError,
} from '@pc/transport';
import type { ClientCredentials } from '../credentials.js';

/** The part of `ClientOptions` that decides the credential (see `createClient`). */
export interface CredentialOptions {
  readonly accessToken?: string | undefined;
  readonly tokenProvider?: TokenProvider | undefined;
  readonly credentials?: ClientCredentials | undefined;
  readonly ca?: string | undefined;
  readonly allowInsecureHttp?: boolean | undefined;
}

/**
 * Picks the token provider: `tokenProvider`, else `accessToken` (static), else `credentials`
 * (a refresh token gives App+User; without one, client credentials, which analytics refuses:
 * the transport's provider warns through `onWarning`).
 *
 * @throws PartnerCenterError with code `AUTH` when no credential is given.
 */
export function tokenProviderFromOptions(
  options: CredentialOptions,
  onWarning: (message: string) => void,
): TokenProvider {
  if (options.tokenProvider !== undefined) return options.tokenProvider;
  if (options.accessToken !== undefined && options.accessToken !== '') {
    return createStaticTokenProvider(options.accessToken);
  }
  const credentials = options.credentials;
  if (credentials !== undefined) {
    const entra = {
      tenantId: credentials.tenantId,
      clientId: credentials.clientId,
      ...(credentials.clientSecret === undefined ? {} : { clientSecret: credentials.clientSecret }),
      ...(credentials.authorityUrl === undefined ? {} : { authorityUrl: credentials.authorityUrl }),
      ...(credentials.endpointVersion === undefined ? {} : { endpointVersion: credentials.endpointVersion }),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      ...(options.allowInsecureHttp === true ? { allowInsecureHttp: true } : {}),
    };
    if (credentials.refreshToken !== undefined) {
      return createRefreshTokenProvider({
        ...entra,
        refreshToken: credentials.refreshToken,
        ...(credentials.onRefreshTokenRotated === undefined
          ? {}
          : { onRefreshTokenRotated: credentials.onRefreshTokenRotated }),
      });
    }
    return createClientCredentialsProvider({ ...entra, onWarning });
  }
  throw new PartnerCenterError({
    code: 'AUTH',
    message:
      'createClient needs a credential: accessToken, tokenProvider or credentials ({ tenantId, clientId, refreshToken })',
    retryable: false,
  });
}
