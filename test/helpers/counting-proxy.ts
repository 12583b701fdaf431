// A recording, fault-injecting HTTP proxy in front of moto. moto checks no
// MFA rules and has no quotas, so tests prove invariants by counting calls
// here ("one GetSessionToken for 20 processes") and inject AWS errors here.
import { createServer, request, Agent, type IncomingMessage, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';

/** One request seen by the proxy. */
export interface ProxyCall {
  /** 1-based arrival order since start or the last reset(). */
  seq: number;
  /** Arrival time, ms since the epoch. */
  at: number;
  method: string;
  /** Path and query string as received. */
  path: string;
  /**
   * Operation name: the Query protocol `Action` (STS, IAM, EC2) from the form
   * body or query string, or the part after the dot of `X-Amz-Target` for
   * JSON protocols (`AWSOrganizationsV20161128.ListAccounts` → `ListAccounts`).
   * Empty when neither is present (e.g. `/moto-api/reset`).
   */
  action: string;
  /** Wire protocol the answer (and any injected fault) uses. */
  protocol: 'query' | 'json' | 'other';
  /** Full `X-Amz-Target` header for JSON protocols. */
  target?: string;
  /** Signing service from the SigV4 credential scope (`sts`, `iam`, `organizations`). */
  service?: string;
  /** Access key id from `Authorization: ... Credential=AKID/...`. */
  accessKeyId?: string;
  roleArn?: string;
  serialNumber?: string;
  /** The MFA code as sent (tests only; lets fake-mfa check it). */
  tokenCode?: string;
  hasTokenCode: boolean;
  /** Every top-level parameter as a string (form fields, or JSON body scalars). */
  params: Record<string, string>;
  /** HTTP status returned to the client; set once the answer is sent. */
  status?: number;
  /** True when the answer came from the fault function, not from moto. */
  faulted: boolean;
}

/** An AWS error answer, rendered in the protocol of the request. */
export interface FaultResponse {
  status: number;
  /** AWS error code, e.g. `AccessDenied`, `Throttling`, `ExpiredToken`. */
  code: string;
  message: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

/** Forward to moto unchanged, but only after `delayMs` (slow answers). */
export interface DelayOnly {
  delayMs: number;
}

/** Answer with this exact body instead of asking moto (e.g. an empty page with a NextToken). */
export interface RawResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** What a fault function may return; `undefined` forwards the call untouched. */
export type FaultAction = FaultResponse | DelayOnly | RawResponse;

/** Decides per call whether to inject a fault. Called once per request, in arrival order. */
export type FaultFn = (call: ProxyCall) => FaultAction | undefined;

/** A running counting proxy. */
export interface CountingProxy {
  /** Base URL to use as `AWS_ENDPOINT_URL`, e.g. `http://127.0.0.1:40124`. */
  url: string;
  /** Number of calls recorded with this operation name (faulted ones included). */
  count(action: string): number;
  /** All recorded calls since start or the last reset(), in arrival order. */
  calls: ProxyCall[];
  /** Forgets recorded calls (the fault function stays). */
  reset(): void;
  /** Installs (or with `undefined` removes) the fault function. */
  setFault(fn: FaultFn | undefined): void;
  /** Closes the listener and every client connection. */
  stop(): Promise<void>;
}

/** Options for {@link startCountingProxy}. */
export interface CountingProxyOptions {
  /**
   * Most requests forwarded to the target at once; the rest queue here.
   * moto's listen backlog is small and it gains nothing beyond ~8 parallel
   * requests, so hundreds of concurrent clients are funnelled. Default 32.
   */
  maxUpstream?: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length']);

/**
 * Starts the proxy on 127.0.0.1 with a free port, forwarding to `targetUrl`
 * (moto). Clients get keep-alive connections even though moto closes every
 * connection. Requests keep their Host and Authorization headers, so a
 * signature stays valid for the proxy's address.
 */
export async function startCountingProxy(targetUrl: string, opts: CountingProxyOptions = {}): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  const agent = new Agent({ keepAlive: false, maxSockets: opts.maxUpstream ?? 32 });
  const calls: ProxyCall[] = [];
  let seq = 0;
  let fault: FaultFn | undefined;

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`counting proxy: ${(e as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const call = describe(++seq, req, body);
    calls.push(call);
    const action = fault?.(call);
    if (action?.delayMs) await new Promise((r) => setTimeout(r, action.delayMs));
    if (action && 'body' in action) {
      call.faulted = true;
      send(res, call, action.status, { 'content-type': 'text/xml', ...action.headers }, Buffer.from(action.body));
      return;
    }
    if (action && 'code' in action) {
      call.faulted = true;
      const { headers, payload } = renderError(call, action);
      send(res, call, action.status, headers, payload);
      return;
    }
    const upstream = await forward(req, body);
    send(res, call, upstream.status, upstream.headers, upstream.body);
  }

  function forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...endToEnd(req.headers), 'content-length': String(body.length) };
      const up = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
        (r) => {
          readBody(r).then((b) => resolve({ status: r.statusCode ?? 502, headers: endToEnd(r.headers), body: b }), reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });
  }

  function send(res: ServerResponse, call: ProxyCall, status: number, headers: Record<string, string | string[]>, payload: Buffer): void {
    call.status = status;
    res.writeHead(status, { ...headers, 'content-length': String(payload.length) });
    res.end(payload);
  }

  // Hundreds of clients may connect at once (parallel CLI processes).
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, backlog: 1024 }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    count: (action) => calls.reduce((n, c) => (c.action === action ? n + 1 : n), 0),
    reset() {
      calls.length = 0;
      seq = 0;
    },
    setFault(fn) {
      fault = fn;
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      });
      return stopping;
    },
  };
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: Buffer) => parts.push(c));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}

function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function describe(seq: number, req: IncomingMessage, raw: Buffer): ProxyCall {
  let text = '';
  try {
    text = (header(req, 'content-encoding') === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
  } catch {
    // A body we cannot decode is still forwarded; it just has no params.
  }
  const target = header(req, 'x-amz-target');
  const params: Record<string, string> = {};
  let protocol: ProxyCall['protocol'] = 'other';
  if (target) {
    protocol = 'json';
    try {
      const doc = JSON.parse(text || '{}') as Record<string, unknown>;
      for (const [k, v] of Object.entries(doc)) if (v !== null && typeof v !== 'object') params[k] = String(v);
    } catch {
      // Not JSON: leave params empty.
    }
  } else {
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const form = /application\/x-www-form-urlencoded/i.test(header(req, 'content-type') ?? '') ? new URLSearchParams(text) : new URLSearchParams();
    for (const src of [query, form]) for (const [k, v] of src) params[k] = v;
    if (params.Action) protocol = 'query';
  }
  const auth = header(req, 'authorization') ?? '';
  const scope = /Credential=([^/,\s]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth);
  return {
    seq,
    at: Date.now(),
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    action: target ? target.slice(target.lastIndexOf('.') + 1) : (params.Action ?? ''),
    protocol,
    ...(target ? { target } : {}),
    ...(scope ? { accessKeyId: scope[1], service: scope[2] } : {}),
    ...(params.RoleArn !== undefined ? { roleArn: params.RoleArn } : {}),
    ...(params.SerialNumber !== undefined ? { serialNumber: params.SerialNumber } : {}),
    ...(params.TokenCode !== undefined ? { tokenCode: params.TokenCode } : {}),
    hasTokenCode: params.TokenCode !== undefined,
    params,
    faulted: false,
  };
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Renders an AWS error in the request's protocol (Query XML, EC2 XML, or JSON with `__type`). */
function renderError(call: ProxyCall, f: FaultResponse): { headers: Record<string, string>; payload: Buffer } {
  const requestId = randomUUID();
  if (call.protocol === 'json') {
    return {
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, 'x-amzn-errortype': f.code },
      payload: Buffer.from(JSON.stringify({ __type: f.code, message: f.message })),
    };
  }
  if (call.service === 'ec2') {
    // EC2's own query dialect: <Response><Errors>…</Errors><RequestID>.
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${xmlEscape(f.code)}</Code>` +
      `<Message>${xmlEscape(f.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
    return { headers: { 'content-type': 'text/xml' }, payload: Buffer.from(xml) };
  }
  const type = f.status >= 500 ? 'Receiver' : 'Sender';
  const xml =
    `<ErrorResponse xmlns="https://${call.service ?? 'sts'}.amazonaws.com/doc/"><Error><Type>${type}</Type>` +
    `<Code>${xmlEscape(f.code)}</Code><Message>${xmlEscape(f.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, payload: Buffer.from(xml) };
}

/** Combines fault functions: the first one that returns an action wins. */
export function composeFaults(...fns: Array<FaultFn | undefined>): FaultFn {
  return (call) => {
    for (const fn of fns) {
      const a = fn?.(call);
      if (a) return a;
    }
    return undefined;
  };
}

/** A fault function answering `code` for every call of `action` (optionally only the first `times`). */
export function failAction(action: string, fault: FaultResponse, times = Infinity): FaultFn {
  let left = times;
  return (call) => {
    if (call.action !== action || left <= 0) return undefined;
    left--;
    return fault;
  };
}

/** Common AWS faults, ready to return from a fault function. */
export const Faults = {
  accessDenied: (message = 'User is not authorized to perform this action'): FaultResponse => ({ status: 403, code: 'AccessDenied', message }),
  throttling: (message = 'Rate exceeded'): FaultResponse => ({ status: 400, code: 'Throttling', message }),
  expiredToken: (message = 'The security token included in the request is expired'): FaultResponse => ({ status: 400, code: 'ExpiredToken', message }),
  invalidClientTokenId: (message = 'The security token included in the request is invalid.'): FaultResponse => ({ status: 403, code: 'InvalidClientTokenId', message }),
} as const;
