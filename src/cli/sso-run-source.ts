// `rolehop run --sso-session NAME --role ROLE`: every account the user is
// assigned in IAM Identity Center, entered with GetRoleCredentials instead of
// AssumeRole, on the same engine (limits, retries, journal, output).
import { mapLimit } from '../async/map-limit.js';
import type { AssumePort } from '../aws/sts-port.js';
import { resolveEndpoints } from '../config/endpoints.js';
import type { Endpoints } from '../config/plan.js';
import { resolveSsoSession } from '../config/sso-settings.js';
import type { Credentials } from '../credentials/types.js';
import type { SelectedAccount } from '../engine/selection.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { SsoDeps } from '../sso/types.js';
import type { CliContext } from './cli-context.js';
import { ssoDepsFor } from './sso-deps.js';
import { ssoPresenter } from './sso-presenter.js';

/** Where a run over an Identity Center session starts: its accounts, and how each is entered. */
export interface SsoRunSource {
  accounts: SelectedAccount[];
  /** Stands in for the source session the engine hands its port; never sent anywhere. */
  sourceSession: Credentials;
  /** The engine's "AssumeRole" for each account: GetRoleCredentials for `role` with the session's token. */
  sts: AssumePort;
  endpoints: Endpoints;
}

/** ListAccountRoles calls in flight at once while the selection is worked out. */
const ROLE_LOOKUPS = 8;

const ROLE_ARN = /^arn:[^:]+:iam::(\d{12}):role\/(.+)$/;

/**
 * The accounts of `sessionName` where `role` (a permission set) is assigned
 * (ListAccounts, then ListAccountRoles per account), signing in first if
 * the token needs it (one login, shown on stderr). An account without the
 * role is left out; none at all is ERR_USAGE naming the roles there are.
 */
export async function ssoRunSource(cli: CliContext, sessionName: string, role: string): Promise<SsoRunSource> {
  const config = cli.config();
  const session = resolveSsoSession(config.ssoSessions ?? new Map(), sessionName, config.path);
  const deps: SsoDeps = ssoDepsFor(cli, ssoPresenter(cli, { browser: true }));
  const { ssoToken, ssoAccounts, ssoAccountRoles, ssoRoleCredentials } = await import('../sso/index.js');
  const token = await ssoToken(session, deps);
  const all = await ssoAccounts(token, deps);
  const roles = await mapLimit(all, ROLE_LOOKUPS, (a) => ssoAccountRoles(token, a.accountId, deps));
  const accounts = all.filter((_, i) => roles[i]!.includes(role)).map((a) => ({ account: a.accountId, ...(a.accountName ? { name: a.accountName } : {}) }));
  if (accounts.length === 0) {
    const seen = [...new Set(roles.flat())].sort();
    throw new RolehopError(ErrorCodes.USAGE, `No account of sso-session "${sessionName}" assigns you the role "${role}"`, {
      hint: seen.length ? `Pass --role with one of: ${seen.join(', ')}.` : 'Identity Center assigns you no account in this session.',
    });
  }
  const sts: AssumePort = {
    async assumeRole(_caller, input) {
      const m = ROLE_ARN.exec(input.roleArn);
      if (!m) throw new RolehopError(ErrorCodes.INTERNAL, `not a role ARN: ${input.roleArn}`);
      // Read again each time: a run longer than the token's life renews it (one renewal for all targets, under the session's lock).
      return ssoRoleCredentials(await ssoToken(session, deps), { accountId: m[1]!, roleName: m[2]! }, deps);
    },
  };
  const placeholder: Credentials = { accessKeyId: 'sso', secretAccessKey: 'sso', expiration: new Date(cli.clock.now() + 24 * 3600_000) };
  return { accounts, sourceSession: placeholder, sts, endpoints: resolveEndpoints(config, sessionName, {}, cli.env) };
}
