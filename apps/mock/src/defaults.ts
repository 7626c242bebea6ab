/** The values the mock uses when an option is not given (the CLI's defaults too). */
export const mockDefaults = {
  /** Port to listen on (`0` picks a free one). */
  port: 4010,
  host: '127.0.0.1',
  /** Data seed. */
  seed: 1,
  /** Customers per partner tenant (about 10 deployment rows each). */
  customers: 1000,
  /** Daily processing snapshots kept. */
  snapshots: 3,
  /** The client id the token endpoint accepts. */
  clientId: 'mock-client-id',
  /** The client secret the token endpoint accepts. */
  clientSecret: 'mock-client-secret',
  /** The refresh token the token endpoint accepts (it hands out rotated ones too). */
  refreshToken: 'mock-refresh-token',
  /** The partner tenant of tokens issued for `common`/`organizations` or by `issueToken()`. */
  partnerTenantId: '4b7c4e3a-2f1d-4c6b-9a8e-5d0f1c2b3a49',
  /** The day of the latest processing snapshot at start-up (fixed, so runs are reproducible). */
  processedDate: '2026-11-20',
  /** The world served: `ideal` (the docs' examples) until the client reads `realistic` exactly. */
  profile: 'ideal',
} as const;
