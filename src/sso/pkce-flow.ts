import { createHash, randomBytes } from 'node:crypto';
import type { SsoEndpoints, SsoSession } from '../config/sso-settings.js';
import { listenForRedirect } from './loopback-redirect.js';
import type { OidcPort } from './oidc.js';
import { ssoError } from './sso-errors.js';
import type { LoginPresenter, SsoRegistration, SsoTokenGrant } from './types.js';

/** How long the browser may take to come back (the AWS CLI waits as long). */
export const PKCE_WAIT_MS = 10 * 60_000;

/** The PKCE verifier and its S256 challenge (RFC 7636). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The authorize page URL for `reg` (no secret in it: the challenge, not the verifier). */
export function authorizeUrl(
  endpoints: SsoEndpoints,
  reg: SsoRegistration,
  session: SsoSession,
  redirectUri: string,
  state: string,
  challenge: string,
): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: reg.clientId,
    redirect_uri: redirectUri,
    state,
    code_challenge_method: 'S256',
    scopes: session.scopes.join(' '),
    code_challenge: challenge,
  });
  return `${endpoints.oidc}/authorize?${q.toString()}`;
}

/** What the PKCE flow needs. */
export interface PkceFlowDeps {
  oidc: OidcPort;
  endpoints: SsoEndpoints;
  present: LoginPresenter;
  signal?: AbortSignal;
  /** Default {@link PKCE_WAIT_MS}. */
  waitMs?: number;
}

/**
 * The authorization code flow with PKCE: a one-shot listener on a
 * 127.0.0.1 port, the authorize URL shown (and opened) by the presenter, the
 * code from the redirect (our `state` checked), then one token request with
 * the verifier.
 */
export async function pkceLogin(session: SsoSession, reg: SsoRegistration, deps: PkceFlowDeps): Promise<SsoTokenGrant> {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('hex');
  const redirect = await listenForRedirect(state, deps.waitMs ?? PKCE_WAIT_MS, deps.signal);
  let code: string;
  try {
    await deps.present({ kind: 'pkce', url: authorizeUrl(deps.endpoints, reg, session, redirect.redirectUri, state, challenge) });
    code = await redirect.code;
  } finally {
    redirect.close();
  }
  try {
    return await deps.oidc.createToken(reg, { grantType: 'authorization_code', code, redirectUri: redirect.redirectUri, codeVerifier: verifier });
  } catch (e) {
    throw ssoError(e, 'CreateToken', session);
  }
}
