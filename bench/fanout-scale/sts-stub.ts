// A zero-latency loopback stand-in for STS, so the fan-out benchmark at
// 10,000 accounts measures the engine, not an emulator: GetSessionToken,
// AssumeRole (credentials whose key id carries the account) and
// GetCallerIdentity (answering the account of the key that signed it).
// Counts AssumeRole per account.
import { createServer, type Server } from 'node:http';

/** A running stub. */
export interface StsStub {
  url: string;
  /** AssumeRole calls by account id. */
  assumes: Map<string, number>;
  /** Every request answered. */
  requests: number;
  stop(): Promise<void>;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function credentialsXml(account: string): string {
  const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `<Credentials><AccessKeyId>ASIA${account}STUB</AccessKeyId><SecretAccessKey>stub-secret</SecretAccessKey><SessionToken>stub-token</SessionToken><Expiration>${expiration}</Expiration></Credentials>`;
}

function answer(action: string, params: URLSearchParams, authorization: string, stub: StsStub): string | undefined {
  const wrap = (body: string) =>
    `<${action}Response xmlns="${NS}"><${action}Result>${body}</${action}Result><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></${action}Response>`;
  if (action === 'GetSessionToken') return wrap(credentialsXml('123456789012'));
  if (action === 'AssumeRole') {
    const account = /^arn:aws:iam::(\d{12}):role\//.exec(params.get('RoleArn') ?? '')?.[1] ?? '000000000000';
    stub.assumes.set(account, (stub.assumes.get(account) ?? 0) + 1);
    return wrap(
      `${credentialsXml(account)}<AssumedRoleUser><AssumedRoleId>AROASTUB:s</AssumedRoleId><Arn>arn:aws:sts::${account}:assumed-role/R/s</Arn></AssumedRoleUser>`,
    );
  }
  if (action === 'GetCallerIdentity') {
    const account = /Credential=ASIA(\d{12})STUB\//.exec(authorization)?.[1] ?? '123456789012';
    return wrap(`<Arn>arn:aws:sts::${account}:assumed-role/R/s</Arn><UserId>AROASTUB:s</UserId><Account>${account}</Account>`);
  }
  return undefined;
}

/** Starts the stub on a free 127.0.0.1 port. */
export async function startStsStub(): Promise<StsStub> {
  let server: Server | undefined;
  const stub: StsStub = {
    url: '',
    assumes: new Map(),
    requests: 0,
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      stub.requests++;
      const params = new URLSearchParams(body);
      const xml = answer(params.get('Action') ?? '', params, String(req.headers.authorization ?? ''), stub);
      res.writeHead(xml ? 200 : 400, { 'content-type': 'text/xml' });
      res.end(xml ?? `<ErrorResponse><Error><Code>InvalidAction</Code><Message>stub</Message></Error></ErrorResponse>`);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  stub.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return stub;
}
