import type { Credentials } from '../credentials/types.js';
import { ErrorCodes, RolehopError } from '../errors.js';

/** Console session length bounds accepted by getSigninToken's `SessionDuration`. */
export const SESSION_DURATION_MIN = 900;
export const SESSION_DURATION_MAX = 43_200;

/** A getSigninToken request, ready to send. Its body holds secrets. */
export interface SigninTokenRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  /** `application/x-www-form-urlencoded` body: Action, [SessionDuration,] Session. */
  body: string;
}

/**
 * Builds the getSigninToken call. POST with a form body keeps the
 * credentials out of URLs that proxies or servers might log.
 * `sessionDuration` must only be given for non-chained AssumeRole
 * credentials: the endpoint refuses it for federation tokens and chained roles.
 */
export function buildSigninTokenRequest(endpoint: string, credentials: Credentials, sessionDuration?: number): SigninTokenRequest {
  if (!credentials.sessionToken) {
    throw new RolehopError(ErrorCodes.INTERNAL, 'Console sign-in needs temporary credentials', {
      hint: 'Long-lived keys must first be exchanged with GetFederationToken.',
    });
  }
  if (
    sessionDuration !== undefined &&
    !(Number.isInteger(sessionDuration) && sessionDuration >= SESSION_DURATION_MIN && sessionDuration <= SESSION_DURATION_MAX)
  ) {
    throw new RolehopError(ErrorCodes.USAGE, `Console session duration ${sessionDuration} is out of range`, {
      hint: `Use whole seconds between ${SESSION_DURATION_MIN} and ${SESSION_DURATION_MAX}.`,
    });
  }
  const form = new URLSearchParams();
  form.set('Action', 'getSigninToken');
  if (sessionDuration !== undefined) form.set('SessionDuration', String(sessionDuration));
  form.set('Session', JSON.stringify({ sessionId: credentials.accessKeyId, sessionKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken }));
  return {
    url: endpoint,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
  };
}

/** The subset of `fetch` used here, injectable for tests. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal; redirect?: 'error' | 'follow' | 'manual' },
) => Promise<{ status: number; text(): Promise<string> }>;

/** Options of {@link requestSigninToken}. */
export interface SigninTokenOptions {
  sessionDuration?: number;
  fetch?: FetchLike;
  signal?: AbortSignal;
  /** Default 15 s. */
  timeoutMs?: number;
}

/**
 * Exchanges temporary credentials for a console sign-in token at a
 * federation endpoint. Errors never quote the request or the response
 * body (the endpoint may echo what it was sent).
 */
export async function requestSigninToken(endpoint: string, credentials: Credentials, opts: SigninTokenOptions = {}): Promise<string> {
  const req = buildSigninTokenRequest(endpoint, credentials, opts.sessionDuration);
  const doFetch: FetchLike = opts.fetch ?? (await import('./node-fetch.js')).nodeFetch;
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 15_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let status: number;
  let text: string;
  try {
    const res = await doFetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal, redirect: 'error' });
    status = res.status;
    text = await res.text();
  } catch (e) {
    if (opts.signal?.aborted) throw new RolehopError(ErrorCodes.ABORTED, 'Console sign-in interrupted', { cause: e });
    throw new RolehopError(ErrorCodes.AWS_NETWORK, `Could not reach the federation endpoint ${endpoint}`, {
      hint: 'Check the network, or ROLEHOP_FEDERATION_ENDPOINT if you set it.',
      cause: e,
    });
  }
  if (status !== 200) {
    throw new RolehopError(ErrorCodes.AWS_OTHER, `The federation endpoint refused the credentials (HTTP ${status})`, {
      hint:
        opts.sessionDuration !== undefined
          ? 'Try again without --duration; role sessions reached through another session cannot set a console duration.'
          : 'The console accepts role sessions and GetFederationToken sessions only; run `rolehop clear PROFILE` and try again.',
      details: { httpStatus: status },
    });
  }
  let token: unknown;
  try {
    token = (JSON.parse(text) as { SigninToken?: unknown }).SigninToken;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token === '') {
    throw new RolehopError(ErrorCodes.AWS_OTHER, 'The federation endpoint answered without a SigninToken', {
      hint: 'Check ROLEHOP_FEDERATION_ENDPOINT if you set it.',
    });
  }
  return token;
}
