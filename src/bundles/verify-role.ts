import type { AssumePort } from '../aws/sts-port.js';
import { fullJitterDelay, retry } from '../async/retry.js';
import type { Credentials } from '../credentials/types.js';
import { awsErrorName } from '../aws/map-error.js';

/** How long a new or changed trust policy may take to let a user in (IAM is eventually consistent). */
export const TRUST_PROPAGATION_TIMEOUT_MS = 120_000;

/** Refusals that a trust change not yet propagated produces; anything else is a real failure. */
function notYetPropagated(e: unknown): boolean {
  const code = awsErrorName(e);
  return code === 'AccessDenied' || code === 'AccessDeniedException' || code === 'InvalidClientTokenId';
}

/** What proving a role took. */
export interface VerifyOutcome {
  /** Time from the first attempt to the first success. */
  propagationMs: number;
  attempts: number;
}

/** Options of {@link verifyRole}. */
export interface VerifyOptions {
  roleSessionName: string;
  externalId?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Proves a role works the way a user reaches it: AssumeRole from the
 * user's own (MFA) session, retried while IAM propagates the trust policy.
 * The credentials obtained are dropped at once.
 *
 * @throws the last AssumeRole error once `timeoutMs` is spent or on an
 *   error that is not a propagation delay.
 */
export async function verifyRole(sts: AssumePort, session: Credentials, roleArn: string, opts: VerifyOptions): Promise<VerifyOutcome> {
  const now = opts.now ?? Date.now;
  const start = now();
  let attempts = 0;
  await retry(
    () => {
      attempts++;
      return sts.assumeRole(session, {
        roleArn,
        roleSessionName: opts.roleSessionName,
        durationSeconds: 900,
        ...(opts.externalId ? { externalId: opts.externalId } : {}),
      });
    },
    {
      retryIf: notYetPropagated,
      delayMs: (n) => fullJitterDelay(n, { baseMs: 500, capMs: 5000 }),
      timeoutMs: opts.timeoutMs ?? TRUST_PROPAGATION_TIMEOUT_MS,
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
  );
  return { propagationMs: now() - start, attempts };
}
