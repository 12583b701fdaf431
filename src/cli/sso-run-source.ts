// `rolehop run --sso-session NAME --role ROLE`: every account the user is
// assigned in IAM Identity Center, entered with GetRoleCredentials instead of
// AssumeRole, on the same engine (limits, retries, journal, output).
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
  const { ssoToken, ssoAssignments, ssoRoleCredentials } = await import('../sso/index.js');
  const token = await ssoToken(session, deps);
  const { assignments } = await ssoAssignments(token, deps);
  const accounts = assignments.filter((a) => a.roleName === role).map((a) => ({ account: a.accountId, ...(a.accountName ? { name: a.accountName } : {}) }));
  if (accounts.length === 0) {
    const seen = [...new Set(assignments.map((a) => a.roleName))].sort();
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
