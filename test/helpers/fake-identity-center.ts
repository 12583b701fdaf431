// A loopback stand-in for IAM Identity Center, which moto lacks: the OIDC
// routes (register client, device authorization, token with three grant
// types, the PKCE authorize page) and the portal routes (accounts, roles,
// role credentials, logout), shaped as @aws-sdk/client-sso-oidc and
// @aws-sdk/client-sso send and read them. Role credentials are minted by
// moto's AssumeRole into arn:aws:iam::<account>:role/<role>, so later calls
// land in that account.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MOTO_ROOT_CREDENTIALS } from './run-cli.js';

/** The grant types the token route accepts. */
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** Scope that makes the token route return a refresh token. */
export const ACCESS_SCOPE = 'sso:account:access';

/** Counted routes; `token:<grant>` counts the token route per grant type. */
export type FakeRoute = 'register' | 'device_authorization' | 'authorize' | 'token' | `token:${string}` | 'accounts' | 'roles' | 'credentials' | 'logout';

/** Behaviour switches, changeable between (and during) calls. */
export interface FakeSwitches {
  /** Lifetime of issued access tokens, seconds (default 3600). */
  accessTokenSeconds: number;
  /** Device code lifetime, seconds (default 600). */
  deviceCodeSeconds: number;
  /** Poll interval announced for device codes, seconds (default 1). */
  intervalSeconds: number;
  /** Polls of an approved device code still answered `authorization_pending` (default 0). */
  pendingPolls: number;
  /** Polls answered `slow_down` before anything else (default 0). */
  slowDowns: number;
  /** Approve every device code as soon as it is issued (default false). */
  autoApprove: boolean;
  /** Deny the next authorize request (redirects with error=access_denied). */
  denyAuthorize: boolean;
}

/** A device code as the fake holds it. */
export interface PendingDevice {
  deviceCode: string;
  userCode: string;
  clientId: string;
  approved: boolean;
  denied: boolean;
}

/** A running fake. */
export interface FakeIdentityCenter {
  /** Base URL for both AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_SSO. */
  url: string;
  /** The start URL the fake accepts. */
  startUrl: string;
  switches: FakeSwitches;
  /** Calls by route since start (or {@link resetCounts}). */
  counts: Record<string, number>;
  /** Sets every count back to zero. */
  resetCounts(): void;
  /** Device codes issued, oldest first. */
  devices(): PendingDevice[];
  /** Approves the device code with `userCode` (the user in the browser); throws when there is none. */
  approve(userCode: string): void;
  /** Denies the device code with `userCode`. */
  deny(userCode: string): void;
  /** Makes every access token issued so far expired (the portal answers 401). */
  expireAccessTokens(): void;
  /** Revokes every refresh token issued so far (the token route answers invalid_grant). */
  revokeRefreshTokens(): void;
  /** Every access and refresh token and client secret issued (for leak checks). */
  secrets(): string[];
  stop(): Promise<void>;
}

/** Options of {@link startFakeIdentityCenter}. */
export interface FakeIdentityCenterOptions {
  /** moto's URL: credentials come from its AssumeRole, accounts from its Organizations when `accounts` is absent. */
  motoUrl: string;
  /** Assigned accounts; default moto's Organizations ListAccounts. */
  accounts?: Array<{ accountId: string; accountName: string }>;
  /** Roles assigned in every account (default ['ReadOnly', 'Admin']). */
  roles?: string[];
  /** Default `https://d-1234567890.awsapps.com/start`. */
  startUrl?: string;
  switches?: Partial<FakeSwitches>;
}

interface Client {
  secret: string;
  scopes: string[];
  grantTypes?: string[];
  redirectUris?: string[];
}

interface Device extends PendingDevice {
  expiresAt: number;
  polls: number;
}

interface AuthCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scopes: string[];
}

const token = (prefix: string) => `${prefix}${randomBytes(18).toString('base64url')}`;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly body: Record<string, string>,
  ) {
    super(type);
  }
}

const oidcError = (type: string, error: string, status = 400) => new HttpError(status, type, { error, error_description: error });
const portalError = (type: string, status: number, message: string) => new HttpError(status, type, { message });

/** Starts the fake on a free 127.0.0.1 port. */
export async function startFakeIdentityCenter(opts: FakeIdentityCenterOptions): Promise<FakeIdentityCenter> {
  const startUrl = opts.startUrl ?? 'https://d-1234567890.awsapps.com/start';
  const roles = opts.roles ?? ['ReadOnly', 'Admin'];
  const switches: FakeSwitches = {
    accessTokenSeconds: 3600,
    deviceCodeSeconds: 600,
    intervalSeconds: 1,
    pendingPolls: 0,
    slowDowns: 0,
    autoApprove: false,
    denyAuthorize: false,
    ...opts.switches,
  };
  const counts: Record<string, number> = {};
  const clients = new Map<string, Client>();
  const devices = new Map<string, Device>();
  const codes = new Map<string, AuthCode>();
  const access = new Map<string, { expiresAt: number }>();
  const refresh = new Map<string, { clientId: string; revoked: boolean; scopes: string[] }>();
  const count = (route: FakeRoute) => (counts[route] = (counts[route] ?? 0) + 1);

  let accountList: Promise<Array<{ accountId: string; accountName: string }>> | undefined;
  const accounts = () => (accountList ??= opts.accounts ? Promise.resolve(opts.accounts) : orgAccounts(opts.motoUrl));

  const issue = (clientId: string, scopes: string[]) => {
    const accessToken = token('aoa');
    access.set(accessToken, { expiresAt: Date.now() + switches.accessTokenSeconds * 1000 });
    const out: Record<string, unknown> = { accessToken, tokenType: 'Bearer', expiresIn: switches.accessTokenSeconds };
    if (scopes.includes(ACCESS_SCOPE)) {
      const refreshToken = token('aor');
      refresh.set(refreshToken, { clientId, revoked: false, scopes });
      out.refreshToken = refreshToken;
    }
    return out;
  };

  const client = (id: unknown, secret: unknown): Client & { id: string } => {
    const c = typeof id === 'string' ? clients.get(id) : undefined;
    if (!c || c.secret !== secret) throw oidcError('InvalidClientException', 'invalid_client', 401);
    return { ...c, id: id as string };
  };

  const bearer = (req: IncomingMessage) => {
    const t = req.headers['x-amz-sso_bearer_token'];
    const found = typeof t === 'string' ? access.get(t) : undefined;
    if (!found || found.expiresAt <= Date.now()) throw portalError('UnauthorizedException', 401, 'Session token not found or invalid');
    return t as string;
  };

  const routes: Record<string, (req: IncomingMessage, body: Record<string, unknown>, q: URLSearchParams) => Promise<unknown> | unknown> = {
    'POST /client/register': (_req, b) => {
      count('register');
      if (typeof b.clientName !== 'string' || typeof b.clientType !== 'string') throw oidcError('InvalidRequestException', 'invalid_request');
      const id = token('cid');
      const secret = token('cs');
      clients.set(id, {
        secret,
        scopes: Array.isArray(b.scopes) ? (b.scopes as string[]) : [],
        ...(Array.isArray(b.grantTypes) ? { grantTypes: b.grantTypes as string[] } : {}),
        ...(Array.isArray(b.redirectUris) ? { redirectUris: b.redirectUris as string[] } : {}),
      });
      const now = Math.floor(Date.now() / 1000);
      return { clientId: id, clientSecret: secret, clientIdIssuedAt: now, clientSecretExpiresAt: now + 90 * 86400 };
    },
    'POST /device_authorization': (_req, b) => {
      count('device_authorization');
      const c = client(b.clientId, b.clientSecret);
      if (b.startUrl !== startUrl) throw oidcError('InvalidRequestException', 'invalid_request');
      const deviceCode = token('dc');
      const userCode = `${randomBytes(2).toString('hex').toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}`;
      devices.set(deviceCode, {
        deviceCode,
        userCode,
        clientId: c.id,
        approved: switches.autoApprove,
        denied: false,
        expiresAt: Date.now() + switches.deviceCodeSeconds * 1000,
        polls: 0,
      });
      const verificationUri = `${startUrl.replace(/\/start\/?$/, '')}/start/#/device`;
      return {
        deviceCode,
        userCode,
        verificationUri,
        verificationUriComplete: `${verificationUri}?user_code=${userCode}`,
        expiresIn: switches.deviceCodeSeconds,
        interval: switches.intervalSeconds,
      };
    },
    'POST /token': (_req, b) => {
      count('token');
      count(`token:${String(b.grantType)}`);
      const c = client(b.clientId, b.clientSecret);
      if (c.grantTypes && !c.grantTypes.includes(String(b.grantType))) throw oidcError('UnauthorizedClientException', 'unauthorized_client');
      if (b.grantType === DEVICE_GRANT) return deviceToken(c.id, c.scopes, b);
      if (b.grantType === 'refresh_token') {
        const r = typeof b.refreshToken === 'string' ? refresh.get(b.refreshToken) : undefined;
        if (!r || r.revoked || r.clientId !== c.id) throw oidcError('InvalidGrantException', 'invalid_grant');
        r.revoked = true; // rotated: a refresh token works once
        return issue(c.id, r.scopes);
      }
      if (b.grantType === 'authorization_code') {
        const a = typeof b.code === 'string' ? codes.get(b.code) : undefined;
        if (!a || a.clientId !== c.id || a.redirectUri !== b.redirectUri) throw oidcError('InvalidGrantException', 'invalid_grant');
        codes.delete(b.code as string);
        const challenge = createHash('sha256')
          .update(String(b.codeVerifier ?? ''))
          .digest('base64url');
        if (challenge !== a.challenge) throw oidcError('InvalidGrantException', 'invalid_grant');
        return issue(c.id, c.scopes);
      }
      throw oidcError('UnsupportedGrantTypeException', 'unsupported_grant_type');
    },
    'GET /assignment/accounts': async (req, _b, q) => {
      count('accounts');
      bearer(req);
      return page(
        (await accounts()).map((a) => ({ ...a, emailAddress: `${a.accountId}@example.com` })),
        q,
        'accountList',
      );
    },
    'GET /assignment/roles': async (req, _b, q) => {
      count('roles');
      bearer(req);
      const id = q.get('account_id');
      if (!(await accounts()).some((a) => a.accountId === id)) throw portalError('ResourceNotFoundException', 404, 'No access');
      return page(
        roles.map((roleName) => ({ roleName, accountId: id })),
        q,
        'roleList',
      );
    },
    'GET /federation/credentials': async (req, _b, q) => {
      count('credentials');
      bearer(req);
      const id = q.get('account_id') ?? '';
      const role = q.get('role_name') ?? '';
      if (!(await accounts()).some((a) => a.accountId === id) || !roles.includes(role)) throw portalError('ResourceNotFoundException', 404, 'No access');
      return { roleCredentials: await assumeInto(opts.motoUrl, id, role) };
    },
    'POST /logout': (req) => {
      count('logout');
      access.delete(bearer(req));
      return undefined;
    },
  };

  function deviceToken(clientId: string, scopes: string[], b: Record<string, unknown>) {
    const d = typeof b.deviceCode === 'string' ? devices.get(b.deviceCode) : undefined;
    if (!d || d.clientId !== clientId) throw oidcError('InvalidGrantException', 'invalid_grant');
    if (d.expiresAt <= Date.now()) throw oidcError('ExpiredTokenException', 'expired_token');
    if (switches.slowDowns > 0) {
      switches.slowDowns--;
      throw oidcError('SlowDownException', 'slow_down');
    }
    if (d.denied) throw oidcError('AccessDeniedException', 'access_denied');
    if (!d.approved) throw oidcError('AuthorizationPendingException', 'authorization_pending');
    if (d.polls++ < switches.pendingPolls) throw oidcError('AuthorizationPendingException', 'authorization_pending');
    devices.delete(d.deviceCode);
    return issue(clientId, scopes);
  }

  function authorize(res: ServerResponse, q: URLSearchParams): void {
    count('authorize');
    const c = clients.get(q.get('client_id') ?? '');
    const redirect = q.get('redirect_uri') ?? '';
    const ok =
      c &&
      q.get('response_type') === 'code' &&
      q.get('code_challenge_method') === 'S256' &&
      q.get('code_challenge') &&
      (c.redirectUris ?? []).some((r) => sameLoopback(r, redirect));
    if (!ok) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid authorize request');
      return;
    }
    const target = new URL(redirect);
    target.searchParams.set('state', q.get('state') ?? '');
    if (switches.denyAuthorize) {
      switches.denyAuthorize = false;
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = token('ac');
      codes.set(code, { clientId: q.get('client_id')!, redirectUri: redirect, challenge: q.get('code_challenge')!, scopes: c.scopes });
      target.searchParams.set('code', code);
    }
    res.writeHead(302, { location: target.toString() }).end();
  }

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && u.pathname === '/authorize') return authorize(res, u.searchParams);
      const route = routes[`${req.method} ${u.pathname}`];
      void (async () => {
        try {
          if (!route) throw portalError('UnknownOperationException', 404, `no route ${req.method} ${u.pathname}`);
          const raw = Buffer.concat(chunks).toString('utf8');
          const out = await route(req, raw ? (JSON.parse(raw) as Record<string, unknown>) : {}, u.searchParams);
          res.writeHead(200, { 'content-type': 'application/json' }).end(out === undefined ? '' : JSON.stringify(out));
        } catch (e) {
          const h = e instanceof HttpError ? e : new HttpError(500, 'InternalServerException', { message: String(e) });
          res.writeHead(h.status, { 'content-type': 'application/json', 'x-amzn-errortype': h.type }).end(JSON.stringify(h.body));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const byUserCode = (userCode: string): Device => {
    const d = [...devices.values()].find((x) => x.userCode === userCode);
    if (!d) throw new Error(`fake identity center: no pending device code ${userCode}`);
    return d;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    startUrl,
    switches,
    counts,
    resetCounts() {
      for (const k of Object.keys(counts)) delete counts[k];
    },
    devices: () => [...devices.values()].map(({ deviceCode, userCode, clientId, approved, denied }) => ({ deviceCode, userCode, clientId, approved, denied })),
    approve(userCode) {
      byUserCode(userCode).approved = true;
    },
    deny(userCode) {
      byUserCode(userCode).denied = true;
    },
    expireAccessTokens() {
      for (const t of access.values()) t.expiresAt = 0;
    },
    revokeRefreshTokens() {
      for (const r of refresh.values()) r.revoked = true;
    },
    secrets: () => [...access.keys(), ...refresh.keys(), ...[...clients.values()].map((c) => c.secret)],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** RFC 8252: a loopback redirect matches whatever its port. */
function sameLoopback(registered: string, given: string): boolean {
  try {
    const a = new URL(registered);
    const b = new URL(given);
    return a.protocol === b.protocol && a.hostname === b.hostname && a.pathname === b.pathname && b.hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

function page<T>(items: T[], q: URLSearchParams, field: string): Record<string, unknown> {
  const start = Number(q.get('next_token') ?? 0);
  const size = Number(q.get('max_result') ?? 20);
  const next = start + size < items.length ? String(start + size) : undefined;
  return { [field]: items.slice(start, start + size), ...(next ? { nextToken: next } : {}) };
}

async function orgAccounts(motoUrl: string): Promise<Array<{ accountId: string; accountName: string }>> {
  const org = await import('@aws-sdk/client-organizations');
  const c = new org.OrganizationsClient({ endpoint: motoUrl, region: 'us-east-1', credentials: MOTO_ROOT_CREDENTIALS });
  try {
    const out: Array<{ accountId: string; accountName: string }> = [];
    for await (const p of org.paginateListAccounts({ client: c }, {})) {
      for (const a of p.Accounts ?? []) if (a.Id) out.push({ accountId: a.Id, accountName: a.Name ?? a.Id });
    }
    return out;
  } finally {
    c.destroy();
  }
}

async function assumeInto(motoUrl: string, accountId: string, role: string) {
  const sts = await import('@aws-sdk/client-sts');
  const c = new sts.STSClient({ endpoint: motoUrl, region: 'us-east-1', credentials: MOTO_ROOT_CREDENTIALS });
  try {
    const r = await c.send(new sts.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${role}`, RoleSessionName: 'sso-user' }));
    const k = r.Credentials!;
    return { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey, sessionToken: k.SessionToken, expiration: k.Expiration!.getTime() };
  } finally {
    c.destroy();
  }
}
