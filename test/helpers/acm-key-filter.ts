// A proxy in front of moto that gives ACM ListCertificates AWS's default
// key-type filter, which moto lacks: a request without `Includes.keyTypes`
// gets only RSA_1024 and RSA_2048 certificates back. A sweep that forgets
// to ask for every key type misses EC and RSA-4096 certificates through
// this proxy, as it would on AWS.
import { startAnswerRewritingProxy } from './answer-rewriting-proxy.js';

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
  const state = { dropped: 0 };
  const lists: Array<string[] | undefined> = [];
  const proxy = await startAnswerRewritingProxy(target, (req, answer) => {
    if (String(req.headers['x-amz-target'] ?? '') !== 'CertificateManager.ListCertificates') return answer.body;
    const keyTypes = keyTypesOf(req.body);
    lists.push(keyTypes);
    return !keyTypes?.length && answer.status === 200 ? applyDefaultFilter(answer.body, state) : answer.body;
  });
  return {
    url: proxy.url,
    lists,
    get dropped() {
      return state.dropped;
    },
    stop: proxy.stop,
  };
}
