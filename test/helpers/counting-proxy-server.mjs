// @ts-check
// The network half of the counting proxy (see counting-proxy.ts). It runs in
// a worker thread so it keeps answering while the test's main thread is
// blocked, e.g. in spawnSync of a tool that talks through the proxy. It
// reports each call over a MessagePort that the main thread can drain
// synchronously, and asks the main thread for a fault only while a fault
// function is set. Plain JavaScript: Node 20 cannot load a worker through
// the tsx loader.
import { createServer, request, Agent } from 'node:http';
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { workerData } from 'node:worker_threads';

/** @typedef {import('./counting-proxy.js').ProxyWorkerData} ProxyWorkerData */
/** @typedef {import('./counting-proxy.js').ToMain} ToMain */
/** @typedef {import('./counting-proxy.js').ToWorker} ToWorker */
/** @typedef {import('./counting-proxy.js').WireCall} WireCall */
/** @typedef {import('./counting-proxy.js').FaultAction} FaultAction */
/** @typedef {import('./counting-proxy.js').FaultResponse} FaultResponse */
/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {Record<string, string | string[]>} Headers */

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length']);

const data = /** @type {ProxyWorkerData} */ (workerData);
const port = data.port;
const target = new URL(data.target);
// moto closes every connection; capping parallel upstream requests keeps its
// small listen backlog from overflowing when hundreds of clients arrive.
const agent = new Agent({ keepAlive: false, maxSockets: data.maxUpstream });
/** @type {Map<number, (answer: { action?: FaultAction; error?: string }) => void>} */
const pendingFaults = new Map();
let nextId = 0;

/** @param {ToMain} m */
const post = (m) => port.postMessage(m);

port.on('message', (/** @type {ToWorker} */ m) => {
  if (m.t === 'fault') {
    pendingFaults.get(m.id)?.(m);
    pendingFaults.delete(m.id);
  } else if (m.t === 'stop') {
    server.close(() => {
      agent.destroy();
      post({ t: 'stopped' });
      port.close();
    });
    server.closeAllConnections();
  }
});

const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
  handle(req, res).catch((/** @type {Error} */ e) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`counting proxy: ${e.message}`);
  });
});

/**
 * @param {IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
async function handle(req, res) {
  const body = await readBody(req);
  const call = describe(req, body);
  const id = ++nextId;
  const ask = Atomics.load(data.faultFlag, 0) === 1;
  /** @type {Promise<{ action?: FaultAction; error?: string }> | undefined} */
  const answer = ask ? new Promise((r) => pendingFaults.set(id, r)) : undefined;
  post({ t: 'call', id, call, ask });
  const { action, error } = (await answer) ?? {};
  /** @type {(status: number, headers: Headers, payload: Buffer, faulted: boolean) => void} */
  const send = (status, headers, payload, faulted) => {
    // Reported before the answer leaves, so a client that has its answer
    // always finds the status in `calls`.
    post({ t: 'done', id, status, faulted });
    res.writeHead(status, { ...headers, 'content-length': String(payload.length) });
    res.end(payload);
  };
  if (error !== undefined) return send(500, { 'content-type': 'text/plain' }, Buffer.from(`counting proxy: fault function threw: ${error}`), true);
  if (action?.delayMs) await new Promise((r) => setTimeout(r, action.delayMs));
  if (action && 'body' in action) return send(action.status, { 'content-type': 'text/xml', ...action.headers }, Buffer.from(action.body), true);
  if (action && 'code' in action) {
    const { headers, payload } = renderError(call, action);
    return send(action.status, headers, payload, true);
  }
  const upstream = await forward(req, body);
  send(upstream.status, upstream.headers, upstream.body, false);
}

/**
 * Host and Authorization pass unchanged, so a SigV4 signature made for the
 * proxy's address stays valid.
 * @param {IncomingMessage} req
 * @param {Buffer} body
 * @returns {Promise<{ status: number; headers: Headers; body: Buffer }>}
 */
function forward(req, body) {
  return new Promise((resolve, reject) => {
    const headers = { ...endToEnd(req.headers), 'content-length': String(body.length) };
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (r) => {
      readBody(r).then((b) => resolve({ status: r.statusCode ?? 502, headers: endToEnd(r.headers), body: b }), reject);
    });
    up.on('error', reject);
    up.end(body);
  });
}

// Hundreds of clients may connect at once (parallel CLI processes).
server.listen({ host: '127.0.0.1', port: 0, backlog: 1024 }, () => {
  const address = server.address();
  post({ t: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});

/**
 * @param {IncomingMessage} stream
 * @returns {Promise<Buffer>}
 */
function readBody(stream) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const parts = [];
    stream.on('data', (c) => parts.push(c));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}

/**
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @returns {Headers}
 */
function endToEnd(headers) {
  /** @type {Headers} */
  const out = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

/**
 * @param {IncomingMessage} req
 * @param {string} name
 */
function header(req, name) {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * @param {IncomingMessage} req
 * @param {Buffer} raw
 * @returns {WireCall}
 */
function describe(req, raw) {
  let text = '';
  try {
    text = (header(req, 'content-encoding') === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
  } catch {
    // A body we cannot decode is still forwarded; it just has no params.
  }
  const amzTarget = header(req, 'x-amz-target');
  /** @type {Record<string, string>} */
  const params = {};
  /** @type {WireCall['protocol']} */
  let protocol = 'other';
  if (amzTarget) {
    protocol = 'json';
    try {
      const doc = /** @type {Record<string, unknown>} */ (JSON.parse(text || '{}'));
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
  const scope = /Credential=([^/,\s]+)\/[^/]+\/([^/]+)\/([^/]+)\//.exec(header(req, 'authorization') ?? '');
  return {
    at: Date.now(),
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    action: amzTarget ? amzTarget.slice(amzTarget.lastIndexOf('.') + 1) : (params.Action ?? ''),
    protocol,
    ...(amzTarget ? { target: amzTarget } : {}),
    ...(scope ? { accessKeyId: scope[1], region: scope[2], service: scope[3] } : {}),
    ...(params.RoleArn !== undefined ? { roleArn: params.RoleArn } : {}),
    ...(params.SerialNumber !== undefined ? { serialNumber: params.SerialNumber } : {}),
    ...(params.TokenCode !== undefined ? { tokenCode: params.TokenCode } : {}),
    hasTokenCode: params.TokenCode !== undefined,
    params,
  };
}

/** @param {string} s */
const xmlEscape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Renders an AWS error in the request's protocol: JSON with `__type`, EC2's
 * XML dialect, or the Query `<ErrorResponse>`.
 * @param {WireCall} call
 * @param {FaultResponse} f
 * @returns {{ headers: Record<string, string>; payload: Buffer }}
 */
function renderError(call, f) {
  const requestId = randomUUID();
  if (call.protocol === 'json') {
    return {
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, 'x-amzn-errortype': f.code },
      payload: Buffer.from(JSON.stringify({ __type: f.code, message: f.message })),
    };
  }
  if (call.service === 'ec2') {
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
