import type { AwsConfig } from '../../config/aws-config.js';
import { resolveSsoSession } from '../../config/sso-settings.js';
import { isRolehopError } from '../../errors.js';
import type { Logger } from '../../io/context.js';
import { ssoLoginStatus } from '../../sso/sso-token.js';

/** One `[sso-session]` of the config as `list` shows it (`--json`: stable field names; never a token). */
export interface SsoSessionView {
  name: string;
  startUrl?: string;
  region?: string;
  /** A token is stored (valid or not). */
  loggedIn: boolean;
  expiresAt?: string;
  secondsLeft?: number;
  /** A refresh token is stored: an expired token is renewed without a browser. */
  refreshable?: boolean;
  /** Why the section cannot be used, when it cannot. */
  problem?: string;
}

/**
 * Every `[sso-session]` of `config` with its stored login, read from the
 * token store's clear metadata: nothing is unlocked and nothing is asked.
 */
export function ssoSessionViews(config: AwsConfig, deps: { rolehopHome: string; logger: Logger }, now: number): SsoSessionView[] {
  const sections = config.ssoSessions ?? new Map();
  return [...sections.keys()].sort().map((name) => {
    try {
      const session = resolveSsoSession(sections, name, config.path);
      const status = ssoLoginStatus(session, deps);
      return {
        name,
        startUrl: session.startUrl,
        region: session.region,
        loggedIn: !!status,
        ...(status
          ? {
              expiresAt: status.expiresAt.toISOString(),
              secondsLeft: Math.max(0, Math.floor((status.expiresAt.getTime() - now) / 1000)),
              refreshable: status.refreshable,
            }
          : {}),
      };
    } catch (e) {
      return { name, loggedIn: false, problem: isRolehopError(e) ? e.message : String(e) };
    }
  });
}
