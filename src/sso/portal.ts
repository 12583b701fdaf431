import { ssoEndpoints } from '../config/sso-settings.js';
import type { Credentials } from '../credentials/types.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { ssoError } from './sso-errors.js';
import type { SsoAccessToken } from './types.js';

type SsoModule = typeof import('@aws-sdk/client-sso');
type SsoClient = InstanceType<SsoModule['SSOClient']>;

let ssoModule: Promise<SsoModule> | undefined;
/** Loaded on the first portal call only. */
function loadSso(): Promise<SsoModule> {
  ssoModule ??= import('@aws-sdk/client-sso');
  return ssoModule;
}

/** Where portal calls go and what may stop them. */
export interface PortalDeps {
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}

async function withClient<T>(token: SsoAccessToken, deps: PortalDeps, what: string, fn: (m: SsoModule, c: SsoClient) => Promise<T>): Promise<T> {
  const m = await loadSso();
  const client = new m.SSOClient({ region: token.session.region, endpoint: ssoEndpoints(deps.env, token.session.region).portal });
  try {
    return await fn(m, client);
  } catch (e) {
    throw ssoError(e, what, token.session);
  } finally {
    client.destroy();
  }
}

const sendOpts = (deps: PortalDeps) => (deps.signal ? { abortSignal: deps.signal } : {});

/**
 * GetRoleCredentials: temporary credentials for `roleName` in `accountId`,
 * with their expiry and account. A rejected token is ERR_AWS_EXPIRED
 * (hint: `rolehop sso login`), a role not assigned ERR_AWS_ACCESS_DENIED.
 */
export async function ssoRoleCredentials(token: SsoAccessToken, target: { accountId: string; roleName: string }, deps: PortalDeps): Promise<Credentials> {
  const what = `GetRoleCredentials ${target.roleName} in ${target.accountId}`;
  const out = await withClient(token, deps, what, (m, c) =>
    c.send(new m.GetRoleCredentialsCommand({ accessToken: token.accessToken, accountId: target.accountId, roleName: target.roleName }), sendOpts(deps)),
  );
  const r = out.roleCredentials;
  if (!r?.accessKeyId || !r.secretAccessKey) {
    throw new RolehopError(ErrorCodes.AWS_OTHER, `${what} returned no credentials`, { hint: 'Check AWS_ENDPOINT_URL_SSO, if set.' });
  }
  return {
    accessKeyId: r.accessKeyId,
    secretAccessKey: r.secretAccessKey,
    ...(r.sessionToken ? { sessionToken: r.sessionToken } : {}),
    ...(r.expiration ? { expiration: new Date(r.expiration) } : {}),
    accountId: target.accountId,
  };
}

/** An account the user is assigned, as the portal lists it. */
export interface SsoAccount {
  accountId: string;
  accountName: string;
}

/** ListAccounts, every page: the accounts the token's user is assigned. */
export async function ssoAccounts(token: SsoAccessToken, deps: PortalDeps): Promise<SsoAccount[]> {
  return withClient(token, deps, 'ListAccounts', async (m, c) => {
    const out: SsoAccount[] = [];
    for await (const page of m.paginateListAccounts({ client: c }, { accessToken: token.accessToken })) {
      for (const a of page.accountList ?? []) if (a.accountId) out.push({ accountId: a.accountId, accountName: a.accountName ?? a.accountId });
    }
    return out;
  });
}

/** ListAccountRoles, every page: the role names assigned in `accountId`. */
export async function ssoAccountRoles(token: SsoAccessToken, accountId: string, deps: PortalDeps): Promise<string[]> {
  return withClient(token, deps, `ListAccountRoles ${accountId}`, async (m, c) => {
    const out: string[] = [];
    for await (const page of m.paginateListAccountRoles({ client: c }, { accessToken: token.accessToken, accountId })) {
      for (const r of page.roleList ?? []) if (r.roleName) out.push(r.roleName);
    }
    return out;
  });
}

/** Logout: ends the portal session of the token. A token the portal no longer knows counts as logged out. */
export async function ssoPortalLogout(token: SsoAccessToken, deps: PortalDeps): Promise<void> {
  try {
    await withClient(token, deps, 'Logout', (m, c) => c.send(new m.LogoutCommand({ accessToken: token.accessToken }), sendOpts(deps)));
  } catch (e) {
    if ((e as RolehopError).details?.awsCode !== 'UnauthorizedException') throw e;
  }
}
