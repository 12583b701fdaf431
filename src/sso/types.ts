/** The shapes the IAM Identity Center code passes between its parts (no logic). */
import type { SsoSession } from '../config/sso-settings.js';
import type { Clock, Logger } from '../io/context.js';
import type { SecretStore } from '../stores/contract.js';

/** How a person signs in: the device code (default) or the authorization code with PKCE on a loopback redirect. */
export type SsoFlow = 'device' | 'pkce';

/** A valid IAM Identity Center access token of one session. A secret: never print or log `accessToken`. */
export interface SsoAccessToken {
  session: SsoSession;
  accessToken: string;
  expiresAt: Date;
}

/** An OIDC client registration, reused until shortly before it expires. */
export interface SsoRegistration {
  flow: SsoFlow;
  clientId: string;
  /** A secret. */
  clientSecret: string;
  /** ISO time the registration stops working. */
  expiresAt: string;
}

/** What the token endpoint returned. */
export interface SsoTokenGrant {
  accessToken: string;
  /** Absent when the registration lacks `sso:account:access`. */
  refreshToken?: string;
  expiresInSeconds: number;
}

/** What the person must see to approve a login; nothing in it is secret. */
export type LoginPrompt =
  { kind: 'device'; verificationUri: string; verificationUriComplete?: string; userCode: string; expiresAt: Date } | { kind: 'pkce'; url: string };

/** Shows a {@link LoginPrompt} (terminal, browser). Resolves once shown; the flow then waits for the approval. */
export type LoginPresenter = (prompt: LoginPrompt) => Promise<void> | void;

/** What the SSO functions need from their caller. Nothing is read from the process. */
export interface SsoDeps {
  /** rolehop's state directory: tokens under `sso/`, locks under `locks/`. */
  rolehopHome: string;
  /** Environment snapshot, for the endpoint overrides. */
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  clock: Clock;
  /** The secret store whose data key seals the tokens (the session cache's key). */
  store: () => Promise<SecretStore>;
  /** Stops a waiting login (Ctrl-C). */
  signal?: AbortSignal;
  /** Shows a login to a person. Absent: non-interactive, so a needed login is an error with a hint. */
  present?: LoginPresenter;
  /**
   * Also write each new token where the AWS CLI reads it (`~/.aws/sso/cache`),
   * and delete it there on logout. Off unless set: that copy is plain text.
   */
  awsCliCacheDir?: string;
}
