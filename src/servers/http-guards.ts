import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isRolehopError } from '../errors.js';

/** The only address the credential servers bind to. */
export const LOOPBACK = '127.0.0.1';

/**
 * A constant-time check against one fixed secret, built once per server.
 * A presented value of another byte length is refused at once: that reveals
 * only that the length differs, and the length is public (every token is 43
 * base64url characters). Equal lengths are compared with `timingSafeEqual`
 * through a preallocated buffer, so a request costs no hash and no allocation.
 */
export function secretMatcher(secret: string): (presented: string | undefined) => boolean {
  const expected = Buffer.from(secret, 'utf8');
  const scratch = Buffer.alloc(expected.length);
  return (presented) => {
    if (presented === undefined || Buffer.byteLength(presented, 'utf8') !== expected.length) return false;
    scratch.write(presented, 'utf8');
    return timingSafeEqual(scratch, expected);
  };
}

/** True for an IPv4 or IPv4-mapped loopback peer. */
export function isLoopbackPeer(addr: string | undefined): boolean {
  if (!addr) return false;
  const v4 = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
  return v4.startsWith('127.') || addr === '::1';
}

/** The headers the guards look at, read in one pass over `rawHeaders`. */
export interface GuardHeaders {
  host?: string;
  authorization?: string;
  /** Set when the request carries a proxy header (see {@link isProxyHeader}) or a repeated Host/Authorization. */
  refused?: string;
}

/**
 * Headers that a proxy, load balancer or CDN adds when it relays a request.
 * Nothing legitimate relays to a loopback credential server, so any one of
 * them means a request that came from elsewhere (an open proxy, a browser
 * extension's relay, an SSRF through a local web app) and is refused.
 */
const PROXY_HEADERS = new Set([
  'forwarded',
  'via',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'x-cluster-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'x-original-forwarded-for',
  'x-proxyuser-ip',
]);
const PROXY_HEADER_LENGTHS = new Set([...PROXY_HEADERS].map((n) => n.length));
const FORWARDED_PREFIX = 'x-forwarded-';

/**
 * True for a header name a relaying proxy adds: every `X-Forwarded-*`
 * (`-For`, `-Host`, `-Proto`, `-Port`, ...) and the names in
 * {@link PROXY_HEADERS}, in any case. Lower-cases only names of a length
 * that could match, so ordinary headers cost a length check or two.
 */
export function isProxyHeader(name: string): boolean {
  const len = name.length;
  if (len > FORWARDED_PREFIX.length && (name.charCodeAt(0) | 0x20) === 0x78 && name.slice(0, FORWARDED_PREFIX.length).toLowerCase() === FORWARDED_PREFIX)
    return true;
  return PROXY_HEADER_LENGTHS.has(len) && PROXY_HEADERS.has(name.toLowerCase());
}

/**
 * One pass over `rawHeaders` (cheaper than `req.headers`, which node builds
 * lazily into an object): the Host and Authorization values, and a refusal
 * for any proxy header ({@link isProxyHeader}: a proxy relaying to us) or a
 * repeated Host or Authorization (ambiguous: refuse rather than guess).
 */
export function guardHeaders(req: IncomingMessage, extra?: string): GuardHeaders & { extra?: string } {
  const raw = req.rawHeaders;
  const out: GuardHeaders & { extra?: string } = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const len = name.length;
    // Dispatch on length first: most headers are skipped without lower-casing.
    if (len === 4 && name.toLowerCase() === 'host') {
      if (out.host !== undefined) out.refused = 'repeated Host header';
      out.host = raw[i + 1]!;
    } else if (len === 13 && name.toLowerCase() === 'authorization') {
      if (out.authorization !== undefined) out.refused = 'repeated Authorization header';
      out.authorization = raw[i + 1]!;
    } else if (extra !== undefined && len === extra.length && name.toLowerCase() === extra) {
      out.extra = raw[i + 1]!;
    } else if (isProxyHeader(name)) {
      out.refused = 'forwarded requests are refused';
    }
  }
  return out;
}

/**
 * Why a request is refused before routing, or undefined when it may proceed:
 * a proxy header, a repeated Host/Authorization, or a `Host` other than
 * the bound address (DNS rebinding from a browser). Non-loopback peers are
 * cut at connection time by {@link listenLoopback}.
 */
export function transportRefusal(h: GuardHeaders, expectedHost: string): string | undefined {
  if (h.refused) return h.refused;
  if (h.host !== expectedHost) return 'unexpected Host header';
  return undefined;
}

/** Writes a small JSON answer. Bodies never carry secrets except the credentials route. */
export function sendJson(res: ServerResponse, status: number, body: unknown | Buffer, extra: Record<string, string> = {}): void {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': buf.length, 'Cache-Control': 'no-store', ...extra });
  res.end(buf);
}

/** Writes a short plain-text answer. */
export function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const buf = Buffer.from(text);
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': buf.length, 'Cache-Control': 'no-store', ...extra });
  res.end(buf);
}

/** The error body for a failed credential fetch: the stable code only, never a message that could quote upstream data. */
export function upstreamErrorBody(e: unknown): { Code: string; Message: string } {
  const code = isRolehopError(e) ? e.code : 'ERR_INTERNAL';
  return { Code: 'CredentialsUnavailable', Message: `rolehop could not obtain credentials (${code}); see the rolehop terminal` };
}

/** A listening loopback HTTP server. */
export interface Listening {
  server: Server;
  port: number;
  /** Stops listening and drops keep-alive connections. */
  close(): Promise<void>;
}

/** Options of {@link listenLoopback}. */
export interface ListenOptions {
  /**
   * Also required of each connection's peer, e.g. that it runs as our uid
   * (`sameUidPeerCheck`). Started once per connection when it is accepted
   * and awaited before its first request is handled; a refused connection
   * is destroyed unanswered.
   */
  peerCheck?: (socket: Socket) => Promise<boolean>;
  /** Told of each connection refused by `peerCheck`. */
  onRefusedPeer?: () => void;
}

/** Starts `handler` on 127.0.0.1 with an ephemeral port. Handler errors become a 500 without details. */
export async function listenLoopback(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  opts: ListenOptions = {},
): Promise<Listening> {
  const { peerCheck, onRefusedPeer } = opts;
  const verdicts = new WeakMap<Socket, Promise<boolean>>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    try {
      const r = handler(req, res);
      if (r) r.catch(() => fail(res));
    } catch {
      fail(res);
    }
  };
  const server = createServer((req, res) => {
    if (!peerCheck) return handle(req, res);
    // Settled after the first request of a connection: later ones wait a microtask.
    void (verdicts.get(req.socket) ?? Promise.resolve(false)).then((ok) => (ok ? handle(req, res) : req.socket.destroy()));
  });
  server.keepAliveTimeout = 5_000;
  // Checked once per connection (remoteAddress is a system call), not per request.
  server.on('connection', (socket: Socket) => {
    if (!isLoopbackPeer(socket.remoteAddress)) return socket.destroy();
    if (!peerCheck) return;
    const verdict = peerCheck(socket).catch(() => false);
    verdicts.set(socket, verdict);
    void verdict.then((ok) => {
      if (ok) return;
      onRefusedPeer?.();
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function fail(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, 500, { Code: 'InternalError', Message: 'internal error' });
}
