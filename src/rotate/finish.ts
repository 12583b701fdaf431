import type { StoredKey } from '../credentials/types.js';
import { ErrorCodes, RolehopError, isRolehopError } from '../errors.js';
import { errorCode } from './describe-error.js';
import { deleteKey, proveKey, rollback, WrongIdentity } from './key-ops.js';
import { deleteKeyCommand, notice, oldKeyNotDeleted, restoreFailed, resumedKeyUnproven, storedKeyRestored, warning } from './messages.js';
import type { Rotation } from './rotation.js';

/** The keys of a rotation whose new key is in the vault. */
export interface StoredRotation {
  oldKeyId: string;
  newKeyId: string;
  /** The old key with its secret, while this run still has it (a fresh rotation; not when resuming). */
  old?: StoredKey;
}

/**
 * Reads the key back from the vault and proves it. On failure during a
 * fresh rotation (`old` known) the old key is put back and the new one
 * deleted; when resuming, the old secret is gone, so both keys are kept.
 */
export async function verifyStored(r: Rotation, keys: StoredRotation): Promise<void> {
  const { problem, attempts } = await readBackAndProve(r, keys.newKeyId);
  if (problem === undefined) {
    r.record.step('verify-stored-key', 'ok', { attempts });
    return;
  }
  r.record.step('verify-stored-key', 'failed', { ...(attempts ? { attempts } : {}), detail: errorCode(problem) });
  const why = problem instanceof WrongIdentity || !isRolehopError(problem) ? (problem as Error).message : errorCode(problem);
  if (keys.old) throw await restoreOld(r, keys, keys.old, why, problem);
  const cmd = deleteKeyCommand(r.user.userName, keys.oldKeyId);
  throw r.record.fail(ErrorCodes.ROTATE, resumedKeyUnproven(r.profile, keys.newKeyId, why, keys.oldKeyId, cmd), problem);
}

/** What went wrong reading the new key back and proving it, if anything. */
async function readBackAndProve(r: Rotation, newKeyId: string): Promise<{ problem?: unknown; attempts: number }> {
  try {
    const stored = await r.deps.vault.get(r.keyProfile);
    if (stored.accessKeyId !== newKeyId) return { problem: new Error(`the vault returned ${stored.accessKeyId} instead of ${newKeyId}`), attempts: 0 };
    const proved = await proveKey(r, stored);
    return proved.ok ? { attempts: proved.attempts } : { problem: proved.error, attempts: proved.attempts };
  } catch (e) {
    return { problem: e, attempts: 0 };
  }
}

/** The stored key could not be proven: put the old key back and delete the new one. Returns the error to throw. */
async function restoreOld(r: Rotation, keys: StoredRotation, old: StoredKey, why: string, problem: unknown): Promise<RolehopError> {
  try {
    await r.deps.vault.put(r.keyProfile, old);
    r.record.step('restore-old-key', 'ok', { detail: old.accessKeyId });
    r.report.vaultKeyId = old.accessKeyId;
  } catch (e) {
    r.record.step('restore-old-key', 'failed', { detail: errorCode(e) });
    const cmd = deleteKeyCommand(r.user.userName, keys.oldKeyId);
    return r.record.fail(ErrorCodes.ROTATE, restoreFailed(r.profile, why, e, keys.oldKeyId, keys.newKeyId, cmd), problem);
  }
  const after = await rollback(r, keys.newKeyId);
  return r.record.fail(ErrorCodes.ROTATE, storedKeyRestored(why, keys.oldKeyId, after, r.report.cleanup), problem);
}

/** Deletes the old key, then clears cached sessions (even when the delete failed) and the journal. */
export async function deleteOld(r: Rotation, keys: { oldKeyId: string; newKeyId: string }): Promise<void> {
  const { oldKeyId, newKeyId } = keys;
  r.info(notice.deletingOld(oldKeyId));
  const d = await deleteKey(r, oldKeyId);
  if (d.ok) r.record.step('delete-old-key', 'ok', { attempts: d.attempts, detail: `${oldKeyId} ${d.value}` });
  else r.record.step('delete-old-key', 'failed', { attempts: d.attempts, detail: errorCode(d.error) });
  await clearSessions(r);
  if (!d.ok) {
    const cmd = deleteKeyCommand(r.user.userName, oldKeyId);
    r.report.cleanup.push(cmd);
    throw r.record.fail(ErrorCodes.ROTATE, oldKeyNotDeleted(r.profile, newKeyId, oldKeyId, d.error, cmd), d.error);
  }
  await r.dropJournal();
  r.report.ok = true;
}

/** Drops cached sessions made with the old key; a failure is a warning, the rotation itself is done. */
async function clearSessions(r: Rotation): Promise<void> {
  try {
    const n = await r.deps.clearSessions();
    r.report.sessionsCleared = n;
    r.record.step('clear-sessions', 'ok', { detail: `${n} cached session(s) removed` });
  } catch (e) {
    r.record.step('clear-sessions', 'failed', { detail: errorCode(e) });
    r.deps.logger?.warn(warning.sessionsNotCleared(e, r.keyProfile));
  }
}
