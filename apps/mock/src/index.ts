/**
 * @pc/mock: a faithful, fast and faulty-on-demand Partner Center licenses-analytics mock.
 * @packageDocumentation
 */
export { main, parseMockFlags } from './cli.js';
export { mockDefaults } from './defaults.js';
export type { Fault, FaultName, FaultSpec, TruncateMode } from './internal/faults.js';
export { parseFaultSpec } from './internal/faults.js';
export type { JournalEntry } from './internal/journal.js';
export type { MockProfile, NextLinkStyle, Realism, SwitchDoc } from './internal/profiles.js';
export { mockProfiles, nextLinkStyles, profileDefaults, switchDocs } from './internal/profiles.js';
export { generateCommercialDeployment, generateCommercialUsage } from './internal/commercialData.js';
export type { ExtraEndpoint, IssueTokenOptions, MockServer, MockServerOptions } from './server.js';
export { startMockServer } from './server.js';
