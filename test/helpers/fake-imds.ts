// A loopback IMDSv2 fake for what moto lacks: PUT /latest/api/token hands
// out a session token; metadata GETs without it get 401, as on an instance
// that requires IMDSv2. The instance role's credentials come from a Minter
// (moto-role-credentials.ts), so calls signed with them work against moto.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Minter } from './moto-role-credentials.js';

const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';

/** A running fake IMDS. */
export interface FakeImds {
  /** Use as `AWS_EC2_METADATA_SERVICE_ENDPOINT`, e.g. `http://127.0.0.1:40125`. */
  url: string;
  /** Token PUTs answered. */
  tokenCalls: number;
  /** Credential documents served (GETs of the role's path). */
  credentialCalls: number;
  /** Metadata GETs refused for a missing or wrong token. */
  refused: number;
  stop(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 (free port), serving `roleName`'s credentials from `mint`. */
export async function startFakeImds(mint: Minter, roleName = 'instance-role'): Promise<FakeImds> {
  const tokens = new Set<string>();
  const state = { tokenCalls: 0, credentialCalls: 0, refused: 0 };
  const send = (res: ServerResponse, status: number, body: string, type = 'text/plain') => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '';
    if (req.method === 'PUT' && path === '/latest/api/token') {
      // Real IMDS refuses tokens to requests that went through a proxy.
      if (req.headers['x-forwarded-for'] || !req.headers['x-aws-ec2-metadata-token-ttl-seconds']) return send(res, 400, 'bad token request');
      state.tokenCalls++;
      const token = randomBytes(24).toString('base64url');
      tokens.add(token);
      return send(res, 200, token);
    }
    if (req.method !== 'GET') return send(res, 405, 'method not allowed');
    const token = req.headers['x-aws-ec2-metadata-token'];
    if (typeof token !== 'string' || !tokens.has(token)) {
      state.refused++;
      return send(res, 401, 'unauthorized');
    }
    if (path === CREDENTIALS_PATH) return send(res, 200, roleName);
    if (path === `${CREDENTIALS_PATH}${roleName}`) {
      state.credentialCalls++;
      const doc = { Code: 'Success', LastUpdated: new Date().toISOString(), Type: 'AWS-HMAC', ...(await mint()) };
      return send(res, 200, JSON.stringify(doc), 'application/json');
    }
    return send(res, 404, 'not found');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, 'mint failed'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get tokenCalls() {
      return state.tokenCalls;
    },
    get credentialCalls() {
      return state.credentialCalls;
    },
    get refused() {
      return state.refused;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
