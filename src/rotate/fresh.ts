import type { AccessKeyInfo } from '../aws/iam-port.js';
import type { StoredKey } from '../credentials/types.js';
import { ErrorCodes } from '../errors.js';
import { errorCode } from './describe-error.js';
import { deleteOld, verifyStored } from './finish.js';
import { proveKey, rollback, WrongIdentity } from './key-ops.js';
import { declined, deleteKeyCommand, doing, newKeyNotAccepted, notAmongKeys, notice, tooManyKeys } from './messages.js';
import { createFailed, storeFailed } from './recover.js';
import type { RotationReport } from './report.js';
import type { Rotation } from './rotation.js';

/**
 * A rotation from the vault's key `old`: check there is room for a new key,
 * ask, create it, prove it, store it, prove the stored copy, delete `old`.
 * `listed` is the user's key list when resuming already read it.
 */
export async function rotateFresh(r: Rotation, old: StoredKey, listed: AccessKeyInfo[] | undefined): Promise<RotationReport> {
  const keys = await checkRoom(r, old, listed ?? (await listKeys(r)));
  await confirm(r, old);
  r.startedAt = new Date(r.deps.clock.now()).toISOString();
  try {
    await r.deps.journal.write(r.journalEntry('creating', old.accessKeyId));
  } catch (e) {
    throw r.record.failUnchanged(e, doing.writeJournal(r.deps.journal.location));
  }

  const created = await createKey(r, old, keys);
  await proveNew(r, old, created);
  try {
    await r.deps.vault.put(r.keyProfile, created);
    r.record.step('store-key', 'ok');
  } catch (e) {
    await storeFailed(r, e, old, created);
  }
  r.report.vaultKeyId = created.accessKeyId;
  await r.saveJournal(r.journalEntry('stored', old.accessKeyId, created.accessKeyId));

  const ids = { oldKeyId: old.accessKeyId, newKeyId: created.accessKeyId };
  await verifyStored(r, { ...ids, old });
  await deleteOld(r, ids);
  return r.report;
}

async function listKeys(r: Rotation): Promise<AccessKeyInfo[]> {
  try {
    return await r.deps.iam.listAccessKeys(r.caller, r.user.userName);
  } catch (e) {
    r.record.step('list-keys', 'failed', { detail: errorCode(e) });
    throw r.record.failUnchanged(e, doing.listKeys);
  }
}

/** Refuses when IAM has no room for a new key (two per user) or does not know `old`. Returns `keys`. */
async function checkRoom(r: Rotation, old: StoredKey, keys: AccessKeyInfo[]): Promise<AccessKeyInfo[]> {
  r.record.step('list-keys', 'ok', { detail: keys.map((k) => `${k.accessKeyId} ${k.status}`).join(', ') });
  const others = keys.filter((k) => k.accessKeyId !== old.accessKeyId);
  if (keys.length >= 2) {
    r.report.cleanup.push(...others.map((k) => deleteKeyCommand(r.user.userName, k.accessKeyId)));
    throw r.record.fail(ErrorCodes.ROTATE, tooManyKeys(r.profile, r.keyProfile, r.user.userName, keys, old.accessKeyId, r.report.cleanup));
  }
  if (others.length === 0 && !keys.some((k) => k.accessKeyId === old.accessKeyId)) {
    throw r.record.fail(ErrorCodes.ROTATE, notAmongKeys(old.accessKeyId, r.user.userName));
  }
  return keys;
}

/** Asks `deps.confirm`, when set; a no cancels with ERR_ABORTED. */
async function confirm(r: Rotation, old: StoredKey): Promise<void> {
  if (!r.deps.confirm) return;
  const yes = await r.deps.confirm({ keyProfile: r.keyProfile, userName: r.user.userName, oldKeyId: old.accessKeyId });
  if (!yes) {
    r.record.step('confirm', 'failed', { detail: 'declined' });
    throw r.record.fail(ErrorCodes.ABORTED, declined(r.profile));
  }
  r.record.step('confirm', 'ok');
}

/** CreateAccessKey, journalled; on failure, checks whether a key was made anyway (see {@link createFailed}). */
async function createKey(r: Rotation, old: StoredKey, before: AccessKeyInfo[]): Promise<StoredKey> {
  let created: StoredKey;
  try {
    const k = await r.deps.iam.createAccessKey(r.caller, r.user.userName);
    created = { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
  } catch (e) {
    r.record.step('create-key', 'failed', { detail: errorCode(e) });
    throw await createFailed(r, e, old, before);
  }
  r.report.newKeyId = created.accessKeyId;
  r.record.step('create-key', 'ok', { detail: created.accessKeyId });
  r.info(notice.created(created.accessKeyId, r.user.userName));
  await r.saveJournal(r.journalEntry('created', old.accessKeyId, created.accessKeyId));
  return created;
}

/** Waits until AWS accepts the new key; when it never does, deletes it again and fails. */
async function proveNew(r: Rotation, old: StoredKey, created: StoredKey): Promise<void> {
  const proved = await proveKey(r, created);
  if (proved.ok) {
    r.record.step('verify-new-key', 'ok', { attempts: proved.attempts });
    return;
  }
  r.record.step('verify-new-key', 'failed', { attempts: proved.attempts, detail: errorCode(proved.error) });
  const after = await rollback(r, created.accessKeyId);
  const why = proved.error instanceof WrongIdentity ? proved.error.message : errorCode(proved.error);
  throw r.record.fail(ErrorCodes.ROTATE, newKeyNotAccepted(created.accessKeyId, proved.attempts, why, after, old.accessKeyId, r.report.cleanup), proved.error);
}
