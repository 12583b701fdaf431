// A local stand-in for the AWS federation endpoint: checks the exact
// getSigninToken request and answers {"SigninToken": ...}.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One getSigninToken request as the stand-in saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  contentType: string;
  /** Form field names in order. */
  fields: string[];
  form: Record<string, string>;
  /** The parsed `Session` JSON. */
  session?: Record<string, unknown>;
  /** Problems found with the request (empty when it is exactly right). */
  problems: string[];
}

export interface FederationStandIn {
  /** `http://127.0.0.1:PORT/federation`. */
  url: string;
  token: string;
  seen: SeenRequest[];
  stop(): Promise<void>;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/**
 * Starts the stand-in. A request that is not exactly a form-encoded POST of
 * `Action=getSigninToken`, optional `SessionDuration`, and a `Session` JSON
 * with exactly `sessionId`, `sessionKey`, `sessionToken` gets HTTP 400, as
 * the real endpoint would.
 */
export async function startFederationStandIn(token = `TOKEN-${Math.random().toString(36).slice(2)}`): Promise<FederationStandIn> {
  const seen: SeenRequest[] = [];
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const form = new URLSearchParams(body);
    const problems: string[] = [];
    const fields = [...form.keys()];
    if (req.method !== 'POST') problems.push(`method ${req.method}`);
    if (!req.url?.startsWith('/federation') || req.url.includes('Session')) problems.push(`path ${req.url}`);
    const contentType = String(req.headers['content-type'] ?? '');
    if (!contentType.startsWith('application/x-www-form-urlencoded')) problems.push(`content-type ${contentType}`);
    if (form.get('Action') !== 'getSigninToken') problems.push('Action');
    const allowed = ['Action', 'SessionDuration', 'Session'];
    for (const f of fields) if (!allowed.includes(f)) problems.push(`unexpected field ${f}`);
    if (form.has('SessionDuration') && !/^\d+$/.test(form.get('SessionDuration')!)) problems.push('SessionDuration');
    let session: Record<string, unknown> | undefined;
    try {
      session = JSON.parse(form.get('Session') ?? '') as Record<string, unknown>;
      const keys = Object.keys(session).sort().join(',');
      if (keys !== 'sessionId,sessionKey,sessionToken') problems.push(`Session keys ${keys}`);
      for (const k of ['sessionId', 'sessionKey', 'sessionToken']) if (typeof session[k] !== 'string' || !session[k]) problems.push(`Session.${k}`);
    } catch {
      problems.push('Session is not JSON');
    }
    seen.push({
      method: req.method ?? '',
      path: req.url ?? '',
      contentType,
      fields,
      form: Object.fromEntries(form),
      ...(session ? { session } : {}),
      problems,
    });
    if (problems.length) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Invalid credentials parameter');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ SigninToken: token }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/federation`,
    token,
    seen,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
