// MFA checks moto does not make: a fault function for the counting proxy
// that answers AccessDenied, as AWS would, when an MFA code or serial is wrong.
import { TOTP, Secret } from 'otpauth';
import type { FaultFn, FaultResponse, ProxyCall } from './counting-proxy.js';

/** Options for {@link requireMfa}. Give `validCodes`, `totpSecret`, or both. */
export interface RequireMfaOptions {
  /** Only calls naming this MFA serial are accepted; others are denied. Omit to accept any serial. */
  serial?: string;
  /** Codes accepted (any time). */
  validCodes?: string[];
  /** Base32 TOTP seed (e.g. `mfaSeed` from seedMotoIdentity); codes within ±1 period are accepted. */
  totpSecret?: string;
  /** Deny a code that was already accepted once, as AWS does. Default false. */
  rejectReuse?: boolean;
  /** Deny GetSessionToken calls that carry no MFA at all. Default false (AWS allows them). */
  mandatory?: boolean;
  /** Operations checked. Default `['GetSessionToken', 'AssumeRole']`. */
  actions?: string[];
}

/** The error AWS returns for a wrong or reused one-time code. */
export const MFA_DENIED: FaultResponse = {
  status: 403,
  code: 'AccessDenied',
  message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.',
};

/**
 * Builds a fault function (for `proxy.setFault`) that denies GetSessionToken
 * and AssumeRole calls carrying a wrong TokenCode, a SerialNumber other than
 * `serial`, or a TokenCode without a SerialNumber. Calls without any MFA
 * pass unless `mandatory` is set (then only GetSessionToken is denied).
 */
export function requireMfa(opts: RequireMfaOptions): FaultFn {
  if (!opts.validCodes && !opts.totpSecret) throw new Error('requireMfa needs validCodes or totpSecret');
  const actions = new Set(opts.actions ?? ['GetSessionToken', 'AssumeRole']);
  const totp = opts.totpSecret ? totpFor(opts.totpSecret) : undefined;
  const used = new Set<string>();
  const valid = (code: string): boolean => {
    if (opts.validCodes?.includes(code)) return true;
    return totp !== undefined && totp.validate({ token: code, window: 1 }) !== null;
  };
  return (call: ProxyCall) => {
    if (!actions.has(call.action)) return undefined;
    if (call.tokenCode === undefined && call.serialNumber === undefined) {
      return opts.mandatory && call.action === 'GetSessionToken' ? MFA_DENIED : undefined;
    }
    if (call.tokenCode === undefined || call.serialNumber === undefined) return MFA_DENIED;
    if (opts.serial !== undefined && call.serialNumber !== opts.serial) return MFA_DENIED;
    if (!valid(call.tokenCode)) return MFA_DENIED;
    if (opts.rejectReuse) {
      if (used.has(call.tokenCode)) return MFA_DENIED;
      used.add(call.tokenCode);
    }
    return undefined;
  };
}

/** The current 6-digit code for a base32 TOTP seed (30 s period, SHA-1), as an authenticator app shows it. */
export function totpCode(base32Secret: string, at: number = Date.now()): string {
  return totpFor(base32Secret).generate({ timestamp: at });
}

function totpFor(base32Secret: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(base32Secret), digits: 6, period: 30, algorithm: 'SHA1' });
}
