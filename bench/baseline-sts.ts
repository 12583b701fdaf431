// The start of every hand-written SDK baseline that mirrors the engine's
// calls: one keep-alive agent and one GetSessionToken, as rolehop's source
// session, and an STS client on that session for the AssumeRole calls.
import { Agent } from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { MGMT } from '../test/engine/moto-org.js';

/** What {@link baselineSession} gives: the shared handler and an STS client on the session. */
export interface BaselineSession {
  requestHandler: NodeHttpHandler;
  sts: STSClient;
}

/** One GetSessionToken with the management key against `url`, then an STS client on that session; both share one keep-alive handler. */
export async function baselineSession(url: string): Promise<BaselineSession> {
  const requestHandler = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) });
  const s = (
    await new STSClient({ region: 'us-east-1', endpoint: url, credentials: MGMT, requestHandler }).send(new GetSessionTokenCommand({ DurationSeconds: 3600 }))
  ).Credentials!;
  const sts = new STSClient({
    region: 'us-east-1',
    endpoint: url,
    requestHandler,
    credentials: { accessKeyId: s.AccessKeyId!, secretAccessKey: s.SecretAccessKey!, sessionToken: s.SessionToken! },
  });
  return { requestHandler, sts };
}
