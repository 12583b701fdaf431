import { readBoundedBody } from '../io/bounded-body.js';
import type { FetchLike } from './signin-token.js';

/** A getSigninToken answer is a short JSON document; anything past this is not one. */
const MAX_BODY_BYTES = 1 << 20;

/**
 * {@link FetchLike} over node:https (node:http for an `http:` endpoint, as
 * a local stand-in of the federation endpoint is): the global `fetch`
 * would load undici and compile its HTTP parser, some 20 ms of every
 * `login` for one small POST. With `redirect: 'error'` a redirect rejects,
 * as it does with `fetch`; the body is read up to {@link MAX_BODY_BYTES}.
 */
export const nodeFetch: FetchLike = async (url, init) => {
  const { request } = await (new URL(url).protocol === 'http:' ? import('node:http') : import('node:https'));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      // A length, not chunked encoding: what fetch sends for a string body.
      {
        method: init.method,
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (init.redirect === 'error' && status >= 300 && status < 400) {
          res.resume();
          return reject(new Error(`redirected (HTTP ${status})`));
        }
        readBoundedBody(res, MAX_BODY_BYTES).then((body) => {
          const text = body.toString('utf8');
          resolve({ status, text: async () => text });
        }, reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
};
