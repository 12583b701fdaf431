import type { SsoFlow, SsoRegistration, SsoTokenGrant } from './types.js';

type OidcModule = typeof import('@aws-sdk/client-sso-oidc');

let oidcModule: Promise<OidcModule> | undefined;
/** Loaded on the first OIDC call only: a stored, valid token never loads it. */
function loadOidc(): Promise<OidcModule> {
  oidcModule ??= import('@aws-sdk/client-sso-oidc');
  return oidcModule;
}

/** The grant type of the device authorization flow (RFC 8628). */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** The redirect registered for the PKCE flow; the loopback port varies per login (RFC 8252). */
export const PKCE_REDIRECT = 'http://127.0.0.1/oauth/callback';

/** A started device authorization. `deviceCode` is a secret. */
export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresInSeconds: number;
  intervalSeconds?: number;
}

/** One token request: the grant and what it needs. */
export type TokenRequest =
  | { grantType: typeof DEVICE_CODE_GRANT; deviceCode: string }
  | { grantType: 'refresh_token'; refreshToken: string }
  | { grantType: 'authorization_code'; code: string; redirectUri: string; codeVerifier: string };

/** The three IAM Identity Center OIDC calls rolehop makes (all unsigned). Errors are the SDK's, mapped by the caller. */
export interface OidcPort {
  register(input: { flow: SsoFlow; scopes: string[]; startUrl: string }): Promise<SsoRegistration>;
  startDeviceAuthorization(reg: SsoRegistration, startUrl: string): Promise<DeviceAuthorization>;
  createToken(reg: SsoRegistration, request: TokenRequest): Promise<SsoTokenGrant>;
}

/** Registrations live 90 days at AWS; this is only the fallback when none is returned. */
const DEFAULT_REGISTRATION_SECONDS = 90 * 86_400;

/** An {@link OidcPort} over `@aws-sdk/client-sso-oidc` in `region`, at `endpoint`. */
export function createOidcPort(region: string, endpoint: string, signal?: AbortSignal): OidcPort {
  const opts = signal ? { abortSignal: signal } : {};
  const withClient = async <T>(fn: (m: OidcModule, c: InstanceType<OidcModule['SSOOIDCClient']>) => Promise<T>): Promise<T> => {
    const m = await loadOidc();
    const client = new m.SSOOIDCClient({ region, endpoint });
    try {
      return await fn(m, client);
    } finally {
      client.destroy();
    }
  };
  return {
    async register({ flow, scopes, startUrl }) {
      const out = await withClient((m, c) =>
        c.send(
          new m.RegisterClientCommand({
            clientName: 'rolehop',
            clientType: 'public',
            scopes,
            ...(flow === 'pkce' ? { grantTypes: ['authorization_code', 'refresh_token'], redirectUris: [PKCE_REDIRECT], issuerUrl: startUrl } : {}),
          }),
          opts,
        ),
      );
      const expires = out.clientSecretExpiresAt ? out.clientSecretExpiresAt * 1000 : Date.now() + DEFAULT_REGISTRATION_SECONDS * 1000;
      return { flow, clientId: out.clientId ?? '', clientSecret: out.clientSecret ?? '', expiresAt: new Date(expires).toISOString() };
    },
    async startDeviceAuthorization(reg, startUrl) {
      const out = await withClient((m, c) =>
        c.send(new m.StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl }), opts),
      );
      return {
        deviceCode: out.deviceCode ?? '',
        userCode: out.userCode ?? '',
        verificationUri: out.verificationUri ?? '',
        ...(out.verificationUriComplete ? { verificationUriComplete: out.verificationUriComplete } : {}),
        expiresInSeconds: out.expiresIn ?? 600,
        ...(out.interval !== undefined ? { intervalSeconds: out.interval } : {}),
      };
    },
    async createToken(reg, request) {
      const out = await withClient((m, c) => c.send(new m.CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, ...request }), opts));
      return { accessToken: out.accessToken ?? '', ...(out.refreshToken ? { refreshToken: out.refreshToken } : {}), expiresInSeconds: out.expiresIn ?? 3600 };
    },
  };
}
