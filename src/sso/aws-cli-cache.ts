import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SsoSession } from '../config/sso-settings.js';
import type { Logger } from '../io/context.js';
import { ssoStoreKey } from './token-store.js';
import type { SsoAccessToken } from './types.js';

/**
 * Where to write the AWS CLI's copy of tokens: `<home>/.aws/sso/cache` when
 * `ROLEHOP_SSO_AWS_CLI_CACHE=1` is in `env`, else undefined (off). Pure; for
 * {@link SsoDeps.awsCliCacheDir}.
 */
export function awsCliCacheDirFor(env: Readonly<Record<string, string | undefined>>, homeDir: string): string | undefined {
  return env.ROLEHOP_SSO_AWS_CLI_CACHE === '1' ? join(homeDir, '.aws', 'sso', 'cache') : undefined;
}

/** The AWS CLI's token file of a session: sha1 of the sso-session name (or legacy start URL) under `dir`. */
export function awsCliTokenPath(dir: string, session: Pick<SsoSession, 'name'>): string {
  return join(dir, `${ssoStoreKey(session)}.json`);
}

/**
 * Writes `token` where the AWS CLI, botocore and SDK v3 look for a
 * session's token (`~/.aws/sso/cache/<sha1>.json`), so they see rolehop's
 * login. Only what they need to use it: start URL, region, access token and
 * expiry (`YYYY-MM-DDTHH:MM:SSZ`). The refresh token and the client
 * registration stay sealed in rolehop's store: a second refresher would
 * invalidate rolehop's rotating refresh token, and they are the long-lived
 * secrets. The file is a plain-text secret (0600), as the AWS CLI's own is;
 * that is why this is opt-in. A failed write is a warning, never a failed login.
 */
export async function writeAwsCliToken(dir: string, token: SsoAccessToken, logger: Logger): Promise<void> {
  const body = {
    startUrl: token.session.startUrl,
    region: token.session.region,
    accessToken: token.accessToken,
    expiresAt: token.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const { writeFileAtomic } = await import('../io/atomic-write.js');
  try {
    await writeFileAtomic(awsCliTokenPath(dir, token.session), JSON.stringify(body, null, 2), 0o600);
  } catch (e) {
    logger.warn(
      `Could not write the AWS CLI's copy of the "${token.session.name}" login in ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'}); the AWS CLI will not see it.`,
    );
  }
}

/** Deletes the AWS CLI's token file of a session (logout). Best effort. */
export function removeAwsCliToken(dir: string, session: Pick<SsoSession, 'name'>): void {
  rmSync(awsCliTokenPath(dir, session), { force: true });
}
