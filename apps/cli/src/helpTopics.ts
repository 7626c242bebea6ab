import { exitCodesHelp } from './exitCodes.js';
import { outputHelp } from './output/format.js';

const environmentHelp = `Environment variables

Settings are taken from, in order: flags > environment > config file > defaults.
The config file is $PC_CONFIG_DIR/config.json, else $XDG_CONFIG_HOME/pc/config.json,
else ~/.config/pc/config.json (written by \`pc login\` with permissions 0600).

  PC_PROFILE         the stored login to use (as --profile; default: pc auth switch, else default)
  PC_CA_FILE         a PEM file of extra certificates to trust (as --ca-file; NODE_EXTRA_CA_CERTS works too)
  PC_BASE_URL        API base URL (default https://api.partnercenter.microsoft.com);
                     point it at \`pc mock\` to work offline
  PC_AUTHORITY_URL   token authority (default https://login.microsoftonline.com)
  PC_TENANT_ID       tenant id or domain
  PC_CLIENT_ID       application (client) id
  PC_CLIENT_SECRET   client secret (confidential apps, client credentials)
  PC_REFRESH_TOKEN   refresh token for App+User access (what analytics needs)
  PC_ACCESS_TOKEN    a bearer token to use as is (overrides every other credential)
  AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH
                     read as Azure Identity has them (after the PC_ ones)
  BROWSER            the browser pc login --browser opens (none: only print the URL)
  PC_LOCALE          number/date format of 'table' and progress (default en-US); POSIX forms
                     such as de_CH.UTF-8, C and POSIX are accepted
  PC_API_LOCALE      X-Locale sent to the API (default en-US); separate, since the service
                     refuses some locales
  PC_OUTPUT          default output format: table, json, ndjson, csv, tsv, yaml, none
  PC_MODULES         comma-separated analytics module packages to load, resolved from the
                     current directory (adds to nothing: replaces the config file's "modules")
  PC_CONFIG_DIR      directory of config.json
  PC_NO_PROGRESS     set to turn the progress display off (as --no-progress)
  NO_COLOR           set to turn colour off (any value)
  FORCE_COLOR        set to force colour on (0 or false: off)
  CI                 when set and stderr is not a terminal, progress is a plain line every few seconds

Secrets (PC_CLIENT_SECRET, AZURE_CLIENT_SECRET, PC_REFRESH_TOKEN, PC_ACCESS_TOKEN) are never
printed, not even with --debug. Access tokens are cached per profile in tokens/<profile>.json
beside the config file (0600) and reused until shortly before they expire.
`;

const filtersHelp = `Filters (--filter)

  field eq 'value'          equal (strings compare without regard to case)
  field ne 'value'          not equal
  a and b, a or b           'and' binds tighter than 'or'; use parentheses to group
  'it''s'                   a quote inside a literal is doubled

Each endpoint filters on its own fields with its own operators (see \`pc modules\` or
\`pc licenses deployment --help\`). A bad filter is refused before any request, exit 2, with
a caret under the fault:

  $ pc licenses deployment --filter "serviceCode eq 'o365' nd channel eq 'reseller'"
  pc: invalid --filter: Expected ... at offset 21:
    serviceCode eq 'o365' nd channel eq 'reseller'
                          ^
`;

/** The help topics of `pc help <topic>`. */
export const helpTopics: Record<string, { summary: string; text: string }> = {
  environment: { summary: 'environment variables and the config file', text: environmentHelp },
  'exit-codes': { summary: 'exit codes', text: exitCodesHelp },
  output: { summary: 'output formats, --fields, --out', text: outputHelp },
  filters: { summary: 'the --filter language', text: filtersHelp },
};
