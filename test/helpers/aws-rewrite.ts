// A proxy in front of moto that rewrites IAM policy documents in responses
// the way AWS does and moto does not: moto stores documents verbatim, AWS
// URL-encodes them, turns a bare account id principal into its `:root` ARN,
// and returns arrays and keys in an order of its own (one-element arrays as
// plain strings). A plan over this proxy must still see an unchanged role
// as unchanged.
import { startAnswerRewritingProxy } from './answer-rewriting-proxy.js';

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
  const state = { rewritten: 0 };
  const proxy = await startAnswerRewritingProxy(target, (_req, answer) => {
    const isIamXml =
      /xml/.test(String(answer.headers['content-type'] ?? '')) &&
      /<(GetAccountAuthorizationDetails|ListRoles|GetRole)Response/.test(answer.body.toString('utf8', 0, 300));
    if (!isIamXml) return answer.body;
    const text = answer.body.toString('utf8').replace(DOCUMENT_TAGS, (_m, tag: string, inner: string) => {
      state.rewritten++;
      return `<${tag}>${escapeXml(awsRewrite(unescapeXml(inner)))}</${tag}>`;
    });
    return Buffer.from(text);
  });
  return {
    url: proxy.url,
    get rewritten() {
      return state.rewritten;
    },
    stop: proxy.stop,
  };
}
