import type { Credentials } from '../credentials/types.js';

/**
 * The session copy: a profile's newest session, kept by a store that the
 * credential_process hot path can read without decrypting anything (the OS
 * keychain, read straight over D-Bus). The session cache stays the source of
 * truth; the copy only lets a cache hit skip node:crypto and the data key.
 *
 * A copy is valid only for the chain it was made for (`chain`, see
 * `chainFingerprint`): a config edit, a rotated key or another source yields
 * another fingerprint, and the copy is ignored.
 */
interface SessionCopyDocument {
  v: 1;
  /** `chainFingerprint` of the plan the session was obtained for. */
  chain: string;
  /** Every profile of that chain, source first: `clear PROFILE` removes the copy if it names PROFILE. */
  profiles: string[];
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** ISO time; a copy without one is never written. */
  expiration: string;
  accountId?: string;
}

/** The copy's text for credentials obtained for `chain`; undefined for credentials that do not expire (never copied). */
export function sessionCopyText(chain: string, profiles: readonly string[], c: Credentials): string | undefined {
  if (!c.expiration) return undefined;
  const doc: SessionCopyDocument = {
    v: 1,
    chain,
    profiles: [...profiles],
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
    expiration: c.expiration.toISOString(),
    ...(c.accountId ? { accountId: c.accountId } : {}),
  };
  return JSON.stringify(doc);
}

function parse(text: string): SessionCopyDocument | undefined {
  try {
    const d = JSON.parse(text) as Partial<SessionCopyDocument> | null;
    if (d?.v !== 1 || typeof d.chain !== 'string' || !Array.isArray(d.profiles)) return undefined;
    if (typeof d.accessKeyId !== 'string' || typeof d.secretAccessKey !== 'string' || typeof d.expiration !== 'string') return undefined;
    if (d.sessionToken !== undefined && typeof d.sessionToken !== 'string') return undefined;
    if (d.accountId !== undefined && typeof d.accountId !== 'string') return undefined;
    return d as SessionCopyDocument;
  } catch {
    return undefined;
  }
}

/**
 * The credentials of a copy made for exactly `chain` with more than
 * `minTtlMs` left at `now`, or undefined (another chain, near expiry, not a
 * copy at all): the same freshness rule as the session cache's.
 */
export function readSessionCopy(text: string, chain: string, now: number, minTtlMs: number): Credentials | undefined {
  const d = parse(text);
  if (!d || d.chain !== chain) return undefined;
  const expiration = new Date(d.expiration);
  if (!(expiration.getTime() - now > minTtlMs)) return undefined;
  return {
    accessKeyId: d.accessKeyId,
    secretAccessKey: d.secretAccessKey,
    ...(d.sessionToken !== undefined ? { sessionToken: d.sessionToken } : {}),
    expiration,
    ...(d.accountId !== undefined ? { accountId: d.accountId } : {}),
  };
}

/** The profiles a copy names, or undefined for text that is not a copy. */
export function sessionCopyProfiles(text: string): string[] | undefined {
  return parse(text)?.profiles.filter((p): p is string => typeof p === 'string');
}
