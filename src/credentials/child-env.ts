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
 * The environment of a child that should act with `creds`: the base
 * environment minus stale credential variables and rolehop secrets, plus the
 * credentials, their expiry, both region variables and `ROLEHOP_PROFILE`
 * (which also marks the shell so nested `rolehop exec` is detected).
 */
export function credentialEnv(
  base: Readonly<Record<string, string | undefined>>,
  creds: Credentials,
  opts: { profile: string; region?: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  const drop = new Set<string>([...STRIPPED_VARIABLES, ...ROLEHOP_SECRET_VARIABLES]);
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !drop.has(k)) env[k] = v;
  env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
  if (creds.sessionToken) env.AWS_SESSION_TOKEN = creds.sessionToken;
  if (creds.expiration) env.AWS_CREDENTIAL_EXPIRATION = isoSeconds(creds.expiration);
  if (creds.accountId) env.AWS_ACCOUNT_ID = creds.accountId;
  if (opts.region) {
    env.AWS_REGION = opts.region;
    env.AWS_DEFAULT_REGION = opts.region;
  }
  env.ROLEHOP_PROFILE = opts.profile;
  return env;
}
