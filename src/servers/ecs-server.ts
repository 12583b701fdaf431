import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Credentials } from '../credentials/types.js';
import { isoSeconds } from '../credentials/child-env.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { silentLogger, type Clock, type Logger } from '../io/context.js';
import { createCredentialMemo, type CredentialSource, type Snapshot } from './credential-memo.js';
import { LOOPBACK, guardHeaders, listenLoopback, secretMatcher, sendJson, transportRefusal, upstreamErrorBody } from './http-guards.js';
import { perSnapshot, serverStats, type ServerStats } from './server-state.js';

/** Options of {@link startEcsServer}. */
export interface EcsServerOptions {
  /** The credentials to serve (normally the broker for one profile). Called once at start, then only near expiry. */
  getCredentials: CredentialSource;
  logger?: Logger;
  clock?: Clock;
  /** See {@link import('./credential-memo.js').CredentialMemoOptions.refreshAheadMs}. */
  refreshAheadMs?: number;
}

export type { ServerStats } from './server-state.js';

/** A running ECS-style credential endpoint. */
export interface EcsServer {
  /** `AWS_CONTAINER_CREDENTIALS_FULL_URI`: `http://127.0.0.1:PORT/<random path>`. */
  readonly url: string;
  /** `AWS_CONTAINER_AUTHORIZATION_TOKEN`: the exact `Authorization` header value required. */
  readonly token: string;
  readonly port: number;
  readonly stats: ServerStats;
  close(): Promise<void>;
}

/** The ECS container-credentials JSON (https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html). */
export function ecsBody(c: Credentials): Record<string, string> {
  if (!c.sessionToken || !c.expiration) {
    // Both SDKs reject an answer without Token or Expiration (docs/aws-behaviour.md, "Container credentials").
    throw new RolehopError(ErrorCodes.SERVER, 'Long-lived keys cannot be served by the credential server', {
      hint: 'Use a profile with a session (do not pass --no-session) or a role.',
    });
  }
  return {
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    Token: c.sessionToken,
    Expiration: isoSeconds(c.expiration),
    ...(c.accountId ? { AccountId: c.accountId } : {}),
  };
}

/**
 * Starts an ECS-style credential endpoint on 127.0.0.1 with an ephemeral
 * port, a random 256-bit token and a random path: exactly one route, `GET`
 * on that path with `Authorization: <token>` (compared in constant time).
 * Any other peer, `Host`, proxy header (`X-Forwarded-*`, `Forwarded`, `Via`, ...), token, method or path is
 * refused with a small JSON error that echoes nothing from the request.
 *
 * Credentials are fetched once before this resolves (so a failure such as a
 * wrong MFA code surfaces before any child starts; the server is then
 * closed and the error rethrown) and afterwards only when they near expiry:
 * a warm server answers from memory with a pre-serialised body.
 */
export async function startEcsServer(opts: EcsServerOptions): Promise<EcsServer> {
  const logger = opts.logger ?? silentLogger;
  const memo = createCredentialMemo(opts.getCredentials, {
    logger,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.refreshAheadMs !== undefined ? { refreshAheadMs: opts.refreshAheadMs } : {}),
  });
  const token = randomBytes(32).toString('base64url');
  const path = `/${randomBytes(16).toString('base64url')}`;
  const tokenMatches = secretMatcher(token);
  const stats = serverStats(memo);
  const reply = perSnapshot((s) => {
    const body = Buffer.from(JSON.stringify(ecsBody(s.credentials)));
    return { body, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, 'Cache-Control': 'no-store' } };
  });
  const answer = (res: ServerResponse, s: Snapshot) => {
    const { body, headers } = reply(s);
    stats.served++;
    res.writeHead(200, headers);
    res.end(body);
  };
  let expectedHost = '';

  const refuse = (res: ServerResponse, status: number, code: string, message: string) => {
    stats.refused++;
    logger.debug(`ecs-server: refused a request (${status} ${message})`);
    sendJson(res, status, { Code: code, Message: message });
  };

  const slow = async (res: ServerResponse) => {
    try {
      answer(res, await memo.get());
    } catch (e) {
      logger.warn(`credential server: could not obtain credentials (${(e as { code?: string }).code ?? 'error'})`);
      sendJson(res, 500, upstreamErrorBody(e));
    }
  };

  // Synchronous on the warm path: no promise per request.
  const handle = (req: IncomingMessage, res: ServerResponse): void | Promise<void> => {
    const h = guardHeaders(req);
    const why = transportRefusal(h, expectedHost);
    if (why) return refuse(res, 403, 'AccessDenied', why);
    if (!tokenMatches(h.authorization)) return refuse(res, 403, 'AccessDenied', 'missing or invalid authorization token');
    if (req.method !== 'GET') return refuse(res, 405, 'MethodNotAllowed', 'only GET is served');
    if (req.url !== path) return refuse(res, 404, 'NotFound', 'no such route');
    const snap = memo.fresh();
    if (snap) return answer(res, snap);
    return slow(res);
  };

  const listening = await listenLoopback(handle);
  expectedHost = `${LOOPBACK}:${listening.port}`;
  try {
    reply(await memo.get());
  } catch (e) {
    await listening.close();
    throw e;
  }
  return {
    url: `http://${expectedHost}${path}`,
    token,
    port: listening.port,
    stats,
    close: listening.close,
  };
}
