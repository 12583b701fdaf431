import { CREDENTIAL_VARIABLE_NAMES, credentialVariables, MARKER_VARIABLES, STRIPPED_VARIABLES } from '../../credentials/child-env.js';
import { credentialProcessDocument, credentialProcessLine } from '../../credentials/process-document.js';
import type { Credentials } from '../../credentials/types.js';
import { ErrorCodes, RolehopError } from '../../errors.js';

export const EXPORT_FORMATS = ['env', 'export-env', 'json', 'ini', 'credential-process', 'sh', 'fish'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What `env` and `export-env` print: exec's credential variables without the account id and rolehop's markers (these formats predate them, and scripts parse them). */
function variables(c: Credentials, region?: string): Array<[string, string]> {
  const left = new Set<string>(['AWS_ACCOUNT_ID', ...MARKER_VARIABLES]);
  return credentialVariables(c, { profile: '', ...(region ? { region } : {}) }).filter(([k]) => !left.has(k));
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
// Inside fish's single quotes only backslash and the quote itself are special.
const fishQuote = (s: string) => `'${s.replace(/[\\']/g, (m) => `\\${m}`)}'`;

/**
 * What `rh` evaluates: clear what exec's child environment would not have
 * (stale credentials, profile selectors, an old region or expiry), then set
 * exactly what exec's child gets. One clearing statement first, so a shell
 * that fails half-way never mixes old and new credentials.
 */
function shellSwitch(
  c: Credentials,
  opts: { profile: string; region?: string },
  syntax: { clear: (names: string[]) => string; set: (k: string, v: string) => string },
): string {
  const set = credentialVariables(c, opts);
  const kept = new Set(set.map(([k]) => k));
  const clear = [...new Set<string>([...STRIPPED_VARIABLES, ...CREDENTIAL_VARIABLE_NAMES])].filter((k) => !kept.has(k));
  return [syntax.clear(clear), ...set.map(([k, v]) => syntax.set(k, v))].join('\n') + '\n';
}

/** Renders credentials in one of the export formats (pure). */
export function formatCredentials(format: string, c: Credentials, opts: { profile: string; region?: string }): string {
  switch (format as ExportFormat) {
    case 'env':
      return (
        variables(c, opts.region)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n') + '\n'
      );
    case 'export-env':
      return (
        variables(c, opts.region)
          .map(([k, v]) => `export ${k}=${shellQuote(v)}`)
          .join('\n') + '\n'
      );
    case 'json':
      return JSON.stringify({ ...credentialProcessDocument(c), ...(opts.region ? { Region: opts.region } : {}) }, null, 2) + '\n';
    case 'credential-process':
      return credentialProcessLine(c);
    case 'ini': {
      const lines = [`[${opts.profile}]`, `aws_access_key_id = ${c.accessKeyId}`, `aws_secret_access_key = ${c.secretAccessKey}`];
      if (c.sessionToken) lines.push(`aws_session_token = ${c.sessionToken}`);
      if (opts.region) lines.push(`region = ${opts.region}`);
      return lines.join('\n') + '\n';
    }
    case 'sh':
      return shellSwitch(c, opts, { clear: (names) => `unset ${names.join(' ')}`, set: (k, v) => `export ${k}=${shellQuote(v)}` });
    case 'fish':
      return shellSwitch(c, opts, { clear: (names) => `set -e ${names.join(' ')}`, set: (k, v) => `set -gx ${k} ${fishQuote(v)}` });
    default:
      throw new RolehopError(ErrorCodes.USAGE, `Unknown format "${format}"`, { hint: `Use one of: ${EXPORT_FORMATS.join(', ')}.` });
  }
}
