import type { AccessKeyInfo } from '../aws/iam-port.js';
import type { StoredKey } from '../credentials/types.js';
import { ErrorCodes, isRolehopError, type RolehopError } from '../errors.js';
import { awsCode, errorCode } from './describe-error.js';
import { rollback } from './key-ops.js';
import { createHalfSucceeded, createFailedUnchanged, createUnchecked, deleteKeyCommand, storeFailedRolledBack, storeFailedUnknown } from './messages.js';
import type { Rotation } from './rotation.js';

// The two failures of a rotation that may have half-succeeded: a
// CreateAccessKey or a vault write can report an error after the fact (a
// timeout), so each looks at what is there before deciding what to undo.

/** CreateAccessKey failed: make sure it did not half-succeed. Returns the error to throw. */
export async function createFailed(r: Rotation, e: unknown, old: StoredKey, before: AccessKeyInfo[]): Promise<RolehopError> {
  let after: AccessKeyInfo[];
  try {
    after = await r.deps.iam.listAccessKeys(r.caller, r.user.userName);
  } catch {
    // Cannot tell: keep the journal so the next run checks.
    return r.record.fail(ErrorCodes.ROTATE, createUnchecked(r.profile, e, old.accessKeyId), e);
  }
  const appeared = after.filter((k) => !before.some((b) => b.accessKeyId === k.accessKeyId));
  if (appeared.length === 0) {
    await r.dropJournal();
    const limit = awsCode(e) === 'LimitExceeded';
    const code = isRolehopError(e) && !limit ? e.code : ErrorCodes.ROTATE;
    return r.record.fail(code, createFailedUnchanged(e, old.accessKeyId, { limit, hint: isRolehopError(e) ? e.hint : undefined }), e);
  }
  const notes: string[] = [];
  for (const k of appeared) notes.push(await rollback(r, k.accessKeyId));
  return r.record.fail(ErrorCodes.ROTATE, createHalfSucceeded(e, notes, old.accessKeyId, r.report.cleanup), e);
}

/**
 * `vault.put` failed: find out what the vault holds and act on that.
 * Returns only when the new key is stored; throws otherwise.
 */
export async function storeFailed(r: Rotation, e: unknown, old: StoredKey, created: StoredKey): Promise<void> {
  let held: string | undefined;
  try {
    held = (await r.deps.vault.get(r.keyProfile)).accessKeyId;
  } catch {
    held = undefined;
  }
  if (held === created.accessKeyId) {
    r.record.step('store-key', 'ok', { detail: `the write reported ${errorCode(e)} but the vault holds ${created.accessKeyId}` });
    return;
  }
  r.record.step('store-key', 'failed', { detail: errorCode(e) });
  if (held === old.accessKeyId) {
    const after = await rollback(r, created.accessKeyId);
    throw r.record.fail(ErrorCodes.ROTATE, storeFailedRolledBack(e, created.accessKeyId, after, old.accessKeyId, r.report.cleanup), e);
  }
  // Unknown state: deleting either key could leave the vault without a working one.
  const delOld = deleteKeyCommand(r.user.userName, old.accessKeyId);
  const delNew = deleteKeyCommand(r.user.userName, created.accessKeyId);
  r.report.cleanup.push(delOld, delNew);
  r.report.vaultKeyId = held;
  const ids = { oldKeyId: old.accessKeyId, newKeyId: created.accessKeyId, delOld, delNew };
  throw r.record.fail(ErrorCodes.ROTATE, storeFailedUnknown(r.profile, r.keyProfile, e, ids), e);
}
