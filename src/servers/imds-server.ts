import { safeSessionName } from '../config/session-name.js';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isoSeconds } from '../credentials/child-env.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../io/context.js';
import { createCredentialMemo, type CredentialSource } from './credential-memo.js';
import { ecsBody } from './ecs-server.js';
import { perSnapshot, serverStats, type ServerStats } from './server-state.js';
import { sameUidPeerCheck } from './peer-uid.js';
import { LOOPBACK, guardHeaders, listenLoopback, sendJson, sendText, transportRefusal, upstreamErrorBody } from './http-guards.js';

/** IMDSv2 token TTL bounds (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html). */
export const IMDS_TTL_MIN = 1;
export const IMDS_TTL_MAX = 21_600;

/** Options of {@link startImdsServer}. */
export interface ImdsServerOptions {
  getCredentials: CredentialSource;
  /** The one role name served under `iam/security-credentials/`; default `rolehop`. */
  roleName?: string;
  /** Answered on the region routes when set (a function is read per request); they are 404 otherwise. */
  region?: string | (() => string | undefined);
  logger?: Logger;
  clock?: Clock;
  refreshAheadMs?: number;
}

/** A running IMDSv2-style endpoint. */
export interface ImdsServer {
  /** `AWS_EC2_METADATA_SERVICE_ENDPOINT`: `http://127.0.0.1:PORT` (no path: SDK v3 ignores one). */
  readonly url: string;
  readonly port: number;
  readonly roleName: string;
  readonly stats: ServerStats;
  /**
   * True when connections from other local users are refused (Linux: the
   * peer's uid of each connection, from /proc/net/tcp). False where the
   * platform cannot tell: then any local user who finds the port can fetch
   * the credentials, and a warning said so at start.
   */
  readonly otherUsersRefused: boolean;
  close(): Promise<void>;
}

const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const CREDS_PREFIX = '/latest/meta-data/iam/security-credentials/';

/** A role name IMDS can serve, derived from a profile name. */
export function imdsRoleName(profile: string): string {
  const n = safeSessionName(profile);
  return n || 'rolehop';
}

/**
 * Starts an IMDSv2-compatible endpoint on 127.0.0.1 with an ephemeral port:
 * `PUT /latest/api/token` (TTL header 1..21600) mints a token; every `GET`
 * needs a valid, unexpired `X-aws-ec2-metadata-token` (IMDSv1 gets 401);
 * proxy headers (`X-Forwarded-*`, `Forwarded`, `Via`, ...), other peers and other `Host`s get 403. Routes:
 * `iam/security-credentials/` (the role name), `iam/security-credentials/<role>`
 * (credentials), `iam/info`, and, when a region is known,
 * `placement/region` and `dynamic/instance-identity/document`.
 *
 * IMDSv2's token keeps out only what cannot PUT (SSRF through a GET); any
 * local process that finds the port can get one. So on Linux each
 * connection's peer must also run as our effective uid, looked up in
 * /proc/net/tcp ({@link sameUidPeerCheck}); elsewhere a warning says that
 * other local users are not kept out.
 *
 * Tokens are stateless: `<expiry ms>.<HMAC-SHA256 under a per-server random
 * key>`, so a token of another server never validates and memory does not
 * grow with clients. Credentials are prefetched before this resolves.
 */
export async function startImdsServer(opts: ImdsServerOptions): Promise<ImdsServer> {
  const logger = opts.logger ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  const roleName = opts.roleName ?? 'rolehop';
  if (!ROLE_NAME.test(roleName)) throw new TypeError('invalid IMDS role name');
  const memo = createCredentialMemo(opts.getCredentials, {
    logger,
    clock,
    ...(opts.refreshAheadMs !== undefined ? { refreshAheadMs: opts.refreshAheadMs } : {}),
  });
  const key = randomBytes(32);
  const sign = (exp: string) => createHmac('sha256', key).update(exp).digest();
  const mint = (ttl: number) => {
    const exp = String(clock.now() + ttl * 1000);
    return `${exp}.${sign(exp).toString('base64url')}`;
  };
  const valid = (token: string | undefined): boolean => {
    if (!token || token.length > 200) return false;
    const dot = token.indexOf('.');
    if (dot <= 0) return false;
    const exp = token.slice(0, dot);
    const mac = Buffer.from(token.slice(dot + 1), 'base64url');
    const want = sign(exp);
    return mac.length === want.length && timingSafeEqual(mac, want) && Number(exp) > clock.now();
  };
  const stats = serverStats(memo);
  const serialise = perSnapshot((s) =>
    Buffer.from(JSON.stringify({ Code: 'Success', LastUpdated: isoSeconds(new Date(s.fetchedAt)), Type: 'AWS-HMAC', ...ecsBody(s.credentials) })),
  );
  let expectedHost = '';

  const refuse = (res: ServerResponse, status: number, message: string) => {
    stats.refused++;
    logger.debug(`imds-server: refused a request (${status} ${message})`);
    sendText(res, status, message);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const h = guardHeaders(req, 'x-aws-ec2-metadata-token');
    const why = transportRefusal(h, expectedHost);
    if (why) return refuse(res, 403, why);
    const url = (req.url ?? '').split('?')[0]!;
    if (req.method === 'PUT') {
      if (url !== '/latest/api/token') return refuse(res, 404, 'not found');
      const raw = req.headers['x-aws-ec2-metadata-token-ttl-seconds'];
      const ttl = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
      if (!(ttl >= IMDS_TTL_MIN && ttl <= IMDS_TTL_MAX)) return refuse(res, 400, 'missing or invalid X-aws-ec2-metadata-token-ttl-seconds');
      return sendText(res, 200, mint(ttl), { 'X-aws-ec2-metadata-token-ttl-seconds': String(ttl) });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    if (!valid(h.extra)) return refuse(res, 401, 'unauthorized');

    if (url === CREDS_PREFIX || url === CREDS_PREFIX.slice(0, -1)) return sendText(res, 200, roleName);
    if (url === CREDS_PREFIX + roleName || url === `${CREDS_PREFIX}${roleName}/`) {
      try {
        const b = serialise(memo.fresh() ?? (await memo.get()));
        stats.served++;
        return sendJson(res, 200, b);
      } catch (e) {
        logger.warn(`credential server: could not obtain credentials (${(e as { code?: string }).code ?? 'error'})`);
        return sendJson(res, 500, upstreamErrorBody(e));
      }
    }
    if (url === '/latest/meta-data/iam/info' || url === '/latest/meta-data/iam/info/') {
      return sendJson(res, 200, { Code: 'Success', LastUpdated: isoSeconds(new Date(clock.now())) });
    }
    const region = typeof opts.region === 'function' ? opts.region() : opts.region;
    if (region && url === '/latest/meta-data/placement/region') return sendText(res, 200, region);
    if (region && url === '/latest/dynamic/instance-identity/document') return sendJson(res, 200, { region });
    return refuse(res, 404, 'not found');
  };

  const peerCheck = sameUidPeerCheck();
  if (!peerCheck) {
    logger.warn(
      'imds-server: this platform cannot tell local users apart; any local user who finds the port can fetch these credentials (prefer `exec --server`)',
    );
  }
  const listening = await listenLoopback(handle, {
    ...(peerCheck ? { peerCheck } : {}),
    onRefusedPeer: () => {
      stats.refused++;
      logger.debug('imds-server: refused a connection from another user');
    },
  });
  expectedHost = `${LOOPBACK}:${listening.port}`;
  try {
    serialise(await memo.get());
  } catch (e) {
    await listening.close();
    throw e;
  }
  return { url: `http://${expectedHost}`, port: listening.port, roleName, stats, otherUsersRefused: peerCheck !== undefined, close: listening.close };
}
