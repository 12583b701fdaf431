// A proxy in front of moto that gives ACM ListCertificates AWS's default
// key-type filter, which moto lacks: a request without `Includes.keyTypes`
// gets only RSA_1024 and RSA_2048 certificates back. A sweep that forgets
// to ask for every key type misses EC and RSA-4096 certificates through
// this proxy, as it would on AWS.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The key types AWS returns when ListCertificates names none. */
export const DEFAULT_KEY_TYPES: ReadonlySet<string> = new Set(['RSA_1024', 'RSA_2048']);

/** A running key-filter proxy. */
export interface AcmKeyFilter {
  url: string;
  /** `Includes.keyTypes` of every ListCertificates request seen (undefined: none given). */
  readonly lists: ReadonlyArray<string[] | undefined>;
  /** Certificates removed from answers so far by the default filter. */
  readonly dropped: number;
  stop(): Promise<void>;
}

interface Summary {
  KeyAlgorithm?: string;
}

/** Removes what AWS would not have returned; anything unparsable passes unchanged. */
function applyDefaultFilter(body: Buffer, state: { dropped: number }): Buffer {
  let doc: { CertificateSummaryList?: Summary[] };
  try {
    doc = JSON.parse(body.toString('utf8')) as typeof doc;
  } catch {
    return body;
  }
  const list = doc.CertificateSummaryList ?? [];
  const kept = list.filter((s) => DEFAULT_KEY_TYPES.has(s.KeyAlgorithm ?? ''));
  state.dropped += list.length - kept.length;
  return Buffer.from(JSON.stringify({ ...doc, CertificateSummaryList: kept }));
}

function keyTypesOf(body: Buffer): string[] | undefined {
  try {
    const input = JSON.parse(body.toString('utf8')) as { Includes?: { keyTypes?: string[] } };
    return input.Includes?.keyTypes;
  } catch {
    return undefined;
  }
}

/** Starts the proxy on a free loopback port, forwarding everything to `target`. */
export async function startAcmKeyFilter(target: string): Promise<AcmKeyFilter> {
  const upstream = new URL(target);
  const state = { dropped: 0 };
  const lists: Array<string[] | undefined> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isList = String(req.headers['x-amz-target'] ?? '') === 'CertificateManager.ListCertificates';
      const keyTypes = isList ? keyTypesOf(body) : undefined;
      if (isList) lists.push(keyTypes);
      const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
        const answer: Buffer[] = [];
        ur.on('data', (c: Buffer) => answer.push(c));
        ur.on('end', () => {
          let out: Buffer = Buffer.concat(answer);
          if (isList && !keyTypes?.length && ur.statusCode === 200) out = applyDefaultFilter(out, state);
          const headers = { ...ur.headers, 'content-length': String(out.length) };
          delete headers['transfer-encoding'];
          res.writeHead(ur.statusCode ?? 500, headers);
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
    lists,
    get dropped() {
      return state.dropped;
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
