// A loopback container credentials endpoint (ECS task role / EKS Pod
// Identity style) for what moto lacks: one path, an exact Authorization
// header, credentials from a Minter (moto-role-credentials.ts).
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Minter } from './moto-role-credentials.js';

/** A running fake container endpoint. */
export interface FakeEcs {
  /** Use as `AWS_CONTAINER_CREDENTIALS_FULL_URI`. */
  url: string;
  /** The value clients must send as `Authorization` (`AWS_CONTAINER_AUTHORIZATION_TOKEN`). */
  token: string;
  /** Credential documents served. */
  credentialCalls: number;
  /** Requests refused for a missing or wrong Authorization header. */
  refused: number;
  stop(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 (free port) with a random path and token. */
export async function startFakeEcs(mint: Minter): Promise<FakeEcs> {
  const path = `/v2/credentials/${randomBytes(8).toString('hex')}`;
  const token = randomBytes(24).toString('base64url');
  const state = { credentialCalls: 0, refused: 0 };
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== token) {
      state.refused++;
      return reply(403, { Code: 'AccessDenied', Message: 'bad authorization' });
    }
    if (req.method !== 'GET' || req.url !== path) return reply(404, { Code: 'NotFound', Message: 'no such path' });
    state.credentialCalls++;
    mint().then(
      (c) => reply(200, { ...c, RoleArn: 'arn:aws:iam::123456789012:role/task-role' }),
      () => reply(500, { Code: 'InternalError', Message: 'mint failed' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    token,
    get credentialCalls() {
      return state.credentialCalls;
    },
    get refused() {
      return state.refused;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
