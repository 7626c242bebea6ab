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
  PC_TOKEN_STORE     where pc login keeps the tokens: auto (default: the OS keychain when
                     one answers, else the 0600 token file), keychain (required), file
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
printed, not even with --debug. Access tokens are cached per profile, in the OS keychain (service
pc-cli) or in tokens/<profile>.json beside the config file (0600), and reused until shortly
before they expire.
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

const signInHelp = `Sign-in, profiles and the token cache

Partner Center analytics takes App+User tokens with MFA only. Sign in once; every command
after that runs unattended (the refresh token lasts 90 days from its last use):

  pc login --device-code --tenant-id <tenant> --client-id <app id>
      a code and a URL on stderr; sign in (with MFA) on any device; Ctrl-C cancels and
      leaves an earlier login of the profile as it was
  pc login --browser --tenant-id <tenant> --client-id <app id>
      authorization code with PKCE on a http://localhost redirect; prints the URL when no
      browser opens (BROWSER=none: only print it)
  pc login --certificate app.pem --tenant-id <tenant> --client-id <app id> --refresh-token -
      a confidential app with a certificate (PEM: key and certificate)
  pc login --tenant-id <tenant> --client-id <app id> --client-secret-file FILE --refresh-token -
      the secure application model's refresh token

Secrets never need argv: - reads stdin, --client-secret-file/--refresh-token-file read a file,
and AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH are
read as Azure Identity reads them. No output shows a secret, also with --debug.

The app registration: API permissions -> Partner Center, delegated user_impersonation, admin
consent; for --device-code and --browser, the platform "Mobile and desktop applications" with
the redirect URI http://localhost and "Allow public client flows". The full consent steps of
the secure application model are in the CLI's README.

Profiles: pc login --profile NAME, --profile NAME or PC_PROFILE on any command, pc auth list,
pc auth switch NAME, pc logout [--profile NAME] (removes all the profile held). pc mock logs
into the profile mock and never touches the default one. pc status names the profile, user,
tenant, base URL, authority and where the tokens are.

Token cache: the access token is reused across commands until five minutes before it expires
(one token request for many short commands). It and the refresh token are kept in the OS
keychain where one answers (macOS Keychain, Windows Credential Manager, the Secret Service on
Linux), else in tokens/<profile>.json beside the config file (0600); PC_TOKEN_STORE=file or
keychain chooses. pc auth token prints the current access token, for scripts.

An expired, revoked or unreachable login exits 4 with how to sign in again.
`;

/** The help topics of `pc help <topic>`. */
export const helpTopics: Record<string, { summary: string; text: string }> = {
  environment: { summary: 'environment variables and the config file', text: environmentHelp },
  'exit-codes': { summary: 'exit codes', text: exitCodesHelp },
  output: { summary: 'output formats, --fields, --out', text: outputHelp },
  filters: { summary: 'the --filter language', text: filtersHelp },
  'sign-in': { summary: 'pc login, profiles and the token cache', text: signInHelp },
};
