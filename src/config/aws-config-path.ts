import { join } from 'node:path';

/**
 * Where the AWS config file is: `AWS_CONFIG_FILE` (a leading `~/` expanded to
 * `homeDir`, as SDK v3 does; no `$VAR` expansion) or `~/.aws/config`.
 */
export function awsConfigPath(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const configured = env.AWS_CONFIG_FILE;
  if (!configured) return join(homeDir, '.aws', 'config');
  return configured.startsWith('~/') ? join(homeDir, configured.slice(2)) : configured;
}

/**
 * Where the shared credentials file is: `AWS_SHARED_CREDENTIALS_FILE` (a
 * leading `~/` expanded, as SDK v3 does) or `~/.aws/credentials`.
 */
export function awsCredentialsPath(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const configured = env.AWS_SHARED_CREDENTIALS_FILE;
  if (!configured) return join(homeDir, '.aws', 'credentials');
  return configured.startsWith('~/') ? join(homeDir, configured.slice(2)) : configured;
}
