// The one loopback proxy the AWS fakes share: forwards every request to a
// target (moto) and lets the fake rewrite the answer it got back, which the
// counting proxy cannot do. Buffered, so it is for tests, not for load.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as received and the answer the target gave; return the answer's body to send instead. */
export type AnswerRewrite = (
  req: { headers: IncomingHttpHeaders; body: Buffer },
  answer: { status: number; headers: IncomingHttpHeaders; body: Buffer },
) => Buffer;

/** A running proxy. */
export interface AnswerRewritingProxy {
  url: string;
  stop(): Promise<void>;
}

/** Starts the proxy on a free loopback port in front of `target`. */
export async function startAnswerRewritingProxy(target: string, rewrite: AnswerRewrite): Promise<AnswerRewritingProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
        const answer: Buffer[] = [];
        ur.on('data', (c: Buffer) => answer.push(c));
        ur.on('end', () => {
          const status = ur.statusCode ?? 500;
          const out = rewrite({ headers: req.headers, body }, { status, headers: ur.headers, body: Buffer.concat(answer) });
          const headers = { ...ur.headers, 'content-length': String(out.length) };
          delete headers['transfer-encoding'];
          res.writeHead(status, headers);
          res.end(out);
        });
      });
      up.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        // Keep-alive sockets of SDK clients would hold close() open.
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
