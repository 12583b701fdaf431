import type { Credentials } from './types.js';

/**
 * Variables removed from every child that receives credentials: other
 * credential sources and profile selectors that would make an SDK ignore or
 * second-guess the credentials we hand over (docs/aws-behaviour.md, "A child's
 * environment"; https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html).
 */
export const STRIPPED_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_SESSION_EXPIRATION',
  'AWS_ACCOUNT_ID',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SDK_LOAD_CONFIG',
  'AWS_CREDENTIAL_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
] as const;

/** rolehop's own secrets: never passed to any child. */
export const ROLEHOP_SECRET_VARIABLES = ['ROLEHOP_FILE_PASSPHRASE'] as const;

/** A copy of `env` without unset entries and without {@link ROLEHOP_SECRET_VARIABLES}: what any helper process rolehop starts may see. */
export function withoutRolehopSecrets(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !(ROLEHOP_SECRET_VARIABLES as readonly string[]).includes(k)) out[k] = v;
  return out;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the one timestamp form every AWS consumer accepts. */
export function isoSeconds(d: Date): string {
  // toISOString is always YYYY-MM-DDTHH:MM:SS.sssZ for years 0-9999; a slice
  // spares compiling a regular expression on the credential_process path.
  const iso = d.toISOString();
  return iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d{3}Z$/, 'Z');
}

/**
 * rolehop's own markers beside the credentials: the profile name (read by
 * prompts, `whoami` and the nested-exec check; no SDK reads it) and the
 * credentials' expiry in Unix seconds, so a prompt can colour the time left
 * without parsing a date or starting node.
 */
export const MARKER_VARIABLES = ['ROLEHOP_PROFILE', 'ROLEHOP_EXPIRES'] as const;

/** Every variable {@link credentialVariables} may set: what `rh --unset` removes again. */
export const CREDENTIAL_VARIABLE_NAMES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ACCOUNT_ID',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  ...MARKER_VARIABLES,
] as const;

/**
 * Everything a shell or child acting as `opts.profile` must have set, in a
 * stable order: the credentials, their expiry (ISO and Unix seconds), the
 * account id when known, both region variables and {@link MARKER_VARIABLES}.
 * Contains secrets: only for environments and `eval`ed shell output.
 */
export function credentialVariables(creds: Credentials, opts: { profile: string; region?: string }): Array<[string, string]> {
  const v: Array<[string, string]> = [
    ['AWS_ACCESS_KEY_ID', creds.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', creds.secretAccessKey],
  ];
  if (creds.sessionToken) v.push(['AWS_SESSION_TOKEN', creds.sessionToken]);
  if (creds.expiration) v.push(['AWS_CREDENTIAL_EXPIRATION', isoSeconds(creds.expiration)]);
  if (creds.accountId) v.push(['AWS_ACCOUNT_ID', creds.accountId]);
  if (opts.region) v.push(['AWS_REGION', opts.region], ['AWS_DEFAULT_REGION', opts.region]);
  v.push(['ROLEHOP_PROFILE', opts.profile]);
  if (creds.expiration) v.push(['ROLEHOP_EXPIRES', String(Math.floor(creds.expiration.getTime() / 1000))]);
  return v;
}

/**
 * The environment of a child that should act with `creds`: the base
 * environment minus stale credential variables, stale markers and rolehop
 * secrets, plus {@link credentialVariables} (`ROLEHOP_PROFILE` also marks the
 * shell so nested `rolehop exec` is detected).
 */
export function credentialEnv(
  base: Readonly<Record<string, string | undefined>>,
  creds: Credentials,
  opts: { profile: string; region?: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  const drop = new Set<string>([...STRIPPED_VARIABLES, ...MARKER_VARIABLES, ...ROLEHOP_SECRET_VARIABLES]);
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !drop.has(k)) env[k] = v;
  for (const [k, v] of credentialVariables(creds, opts)) env[k] = v;
  return env;
}
