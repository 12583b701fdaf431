import { isRetryableAwsError } from '../aws/map-error.js';
import type { CallerIdentity } from '../aws/sts-port.js';
import type { Credentials } from '../credentials/types.js';
import { ErrorCodes, isRolehopError } from '../errors.js';
import { awsCode, errorCode } from './describe-error.js';
import { deleteKeyCommand, rollbackSentence } from './messages.js';
import { retryUntil, type RetryResult } from './retry.js';
import type { Rotation } from './rotation.js';

/** A key that works but answers as another principal than the rotation's user. */
export class WrongIdentity extends Error {
  constructor(readonly arn: string) {
    super(`the key answers as ${arn}`);
  }
}

/** Errors worth another try while IAM propagates a key change. */
function propagationRetryable(e: unknown): boolean {
  if (isRolehopError(e) && e.code === ErrorCodes.ABORTED) return false;
  return (isRolehopError(e) && (e.code === ErrorCodes.AWS_INVALID_KEY || e.code === ErrorCodes.AWS_NETWORK)) || isRetryableAwsError(e);
}

/** Polls GetCallerIdentity with `key` until it answers as the rotation's user (bounded by `timing.verify`). */
export function proveKey(r: Rotation, key: Credentials): Promise<RetryResult<CallerIdentity>> {
  return retryUntil(
    async () => {
      const who = await r.deps.sts.getCallerIdentity(key);
      if (who.arn !== r.user.arn) throw new WrongIdentity(who.arn);
      return who;
    },
    {
      bounds: r.timing.verify,
      time: r.time,
      retryable: (e) => e instanceof WrongIdentity || propagationRetryable(e),
      ...(r.deps.signal ? { signal: r.deps.signal } : {}),
    },
  );
}

/** Deletes a key, retrying while IAM propagates (bounded by `timing.delete`); a key already gone counts as deleted. */
export function deleteKey(r: Rotation, accessKeyId: string): Promise<RetryResult<'deleted' | 'already gone'>> {
  return retryUntil(
    async () => {
      try {
        await r.deps.iam.deleteAccessKey(r.caller, r.user.userName, accessKeyId);
        return 'deleted' as const;
      } catch (e) {
        if (awsCode(e) === 'NoSuchEntity') return 'already gone' as const;
        throw e;
      }
    },
    { bounds: r.timing.delete, time: r.time, retryable: propagationRetryable, ...(r.deps.signal ? { signal: r.deps.signal } : {}) },
  );
}

/**
 * Deletes the new key after a failure, so the vault's (old, working) key
 * is the only one left. When that fails, the delete command joins the
 * report's clean-up. Returns a sentence for the error message.
 */
export async function rollback(r: Rotation, newKeyId: string): Promise<string> {
  const d = await deleteKey(r, newKeyId);
  if (d.ok) {
    r.record.step('rollback-new-key', 'ok', { attempts: d.attempts, detail: `${newKeyId} ${d.value}` });
    await r.dropJournal();
    return rollbackSentence(newKeyId);
  }
  r.record.step('rollback-new-key', 'failed', { attempts: d.attempts, detail: errorCode(d.error) });
  const cmd = deleteKeyCommand(r.user.userName, newKeyId);
  r.report.cleanup.push(cmd);
  return rollbackSentence(newKeyId, { code: errorCode(d.error), cmd });
}
