// One HTTP server per process for the wrk benchmark: `ecs` (the real ECS
// credential server, warm) or `bare` (node:http answering a fixed JSON body
// of the same size). Prints `{"url","token"}` on stdout, runs until killed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEcsServer } from '../../src/servers/ecs-server.js';

const kind = process.argv[2];
const creds = {
  accessKeyId: 'ASIABENCHEXAMPLE0001',
  secretAccessKey: 'bench-secret-key-0000000000000000000000',
  sessionToken: 'IQoJb3JpZ2luX2VjEBENCH'.padEnd(700, 'x'),
  expiration: new Date(Date.now() + 12 * 3600_000),
};
if (kind === 'ecs') {
  const s = await startEcsServer({ getCredentials: async () => creds });
  process.stdout.write(JSON.stringify({ url: s.url, token: s.token }) + '\n');
} else {
  const body = Buffer.from(
    JSON.stringify({
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      Token: creds.sessionToken,
      Expiration: creds.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }),
  );
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as AddressInfo).port;
    process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}/creds`, token: 'unused-but-sent-for-parity' }) + '\n');
  });
}
