import { isoSeconds } from '../../credentials/child-env.js';
import { credentialProcessDocument, credentialProcessLine } from '../../credentials/process-document.js';
import type { Credentials } from '../../credentials/types.js';
import { ErrorCodes, RolehopError } from '../../errors.js';

export const EXPORT_FORMATS = ['env', 'export-env', 'json', 'ini', 'credential-process'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

function variables(c: Credentials, region?: string): Array<[string, string]> {
  const v: Array<[string, string]> = [
    ['AWS_ACCESS_KEY_ID', c.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', c.secretAccessKey],
  ];
  if (c.sessionToken) v.push(['AWS_SESSION_TOKEN', c.sessionToken]);
  if (c.expiration) v.push(['AWS_CREDENTIAL_EXPIRATION', isoSeconds(c.expiration)]);
  if (region) v.push(['AWS_REGION', region], ['AWS_DEFAULT_REGION', region]);
  return v;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

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
    default:
      throw new RolehopError(ErrorCodes.USAGE, `Unknown format "${format}"`, { hint: `Use one of: ${EXPORT_FORMATS.join(', ')}.` });
  }
}
