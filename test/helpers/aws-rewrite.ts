// A proxy in front of moto that rewrites IAM policy documents in responses
// the way AWS does and moto does not: moto stores documents verbatim, AWS
// URL-encodes them, turns a bare account id principal into its `:root` ARN,
// and returns arrays and keys in an order of its own (one-element arrays as
// plain strings). A plan over this proxy must still see an unchanged role
// as unchanged.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running rewriting proxy. */
export interface RewriteProxy {
  url: string;
  /** Documents rewritten so far (a test proves the rewriting happened). */
  rewritten: number;
  stop(): Promise<void>;
}

const XML_ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': "'", '&#34;': '"', '&#39;': "'" };
const unescapeXml = (s: string) => s.replace(/&(lt|gt|amp|quot|apos|#34|#39);/g, (m) => XML_ENTITIES[m] ?? m);
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** AWS's rewrites of one value: arrays reversed (a one-element array as its element), keys in reverse order. */
function shuffle(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x) => shuffle(x, key)).reverse();
    return items.length === 1 ? items[0] : items;
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).reverse();
    return Object.fromEntries(entries.map(([k, x]) => [k, shuffle(x, k)]));
  }
  if (key === 'AWS' && typeof v === 'string' && /^\d{12}$/.test(v)) return `arn:aws:iam::${v}:root`;
  return v;
}

/** A document as AWS would return it. */
export function awsRewrite(json: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(json.startsWith('%') ? decodeURIComponent(json) : json);
  } catch {
    return json;
  }
  return encodeURIComponent(JSON.stringify(shuffle(doc)));
}

const DOCUMENT_TAGS = /<(AssumeRolePolicyDocument|PolicyDocument)>([\s\S]*?)<\/\1>/g;

/** Starts the proxy on a free loopback port, forwarding everything to `target`. */
export async function startRewriteProxy(target: string): Promise<RewriteProxy> {
  const upstream = new URL(target);
  const state = { rewritten: 0 };
  const server: Server = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
        const chunks: Buffer[] = [];
        ur.on('data', (c: Buffer) => chunks.push(c));
        ur.on('end', () => {
          let out = Buffer.concat(chunks);
          const isIamXml =
            /xml/.test(String(ur.headers['content-type'] ?? '')) &&
            /<(GetAccountAuthorizationDetails|ListRoles|GetRole)Response/.test(out.toString('utf8', 0, 300));
          if (isIamXml) {
            const text = out.toString('utf8').replace(DOCUMENT_TAGS, (_m, tag: string, inner: string) => {
              state.rewritten++;
              return `<${tag}>${escapeXml(awsRewrite(unescapeXml(inner)))}</${tag}>`;
            });
            out = Buffer.from(text);
          }
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
      up.end(Buffer.concat(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get rewritten() {
      return state.rewritten;
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
