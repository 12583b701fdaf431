import type { AccessKeyInfo } from '../aws/iam-port.js';
import type { StoredKey } from '../credentials/types.js';
import { ErrorCodes } from '../errors.js';
import { errorCode } from './describe-error.js';
import { deleteOld, verifyStored } from './finish.js';
import type { RotationJournal } from './journal.js';
import { deleteKey } from './key-ops.js';
import { deleteKeyCommand, doing, interruptedCreate, notice, orphanNotDeleted } from './messages.js';
import type { Rotation } from './rotation.js';

/** What resuming left to do: nothing, or a fresh rotation (with the key list when resuming already read it). */
export type ResumeOutcome = 'finished' | { keys?: AccessKeyInfo[] };

/**
 * Decides what an interrupted rotation (journal `j`) left behind and
 * finishes or cleans it up. `current` is the key the vault holds now.
 */
export async function resume(r: Rotation, j: RotationJournal, current: StoredKey): Promise<ResumeOutcome> {
  r.report.resumed = true;
  if (j.userArn !== r.user.arn || (current.accessKeyId !== j.oldKeyId && current.accessKeyId !== j.newKeyId)) {
    // The vault was changed by hand (`rolehop add`) since: the journal no longer describes it.
    r.record.step('resume', 'skipped', {
      detail: `stale journal (vault holds ${current.accessKeyId}, journal ${j.oldKeyId} -> ${j.newKeyId ?? '?'}); discarded`,
    });
    await r.dropJournal();
    return {};
  }
  r.startedAt = j.startedAt;
  if (j.newKeyId && current.accessKeyId === j.newKeyId) {
    await finishStored(r, j.oldKeyId, j.newKeyId);
    return 'finished';
  }

  // The vault still holds the old key: any new key's secret died with the process.
  let keys: AccessKeyInfo[];
  try {
    keys = await r.deps.iam.listAccessKeys(r.caller, r.user.userName);
  } catch (e) {
    r.record.step('resume', 'failed', { detail: errorCode(e) });
    throw r.record.failUnchanged(e, doing.listForResume);
  }
  if (j.newKeyId) return { keys: await deleteOrphan(r, j.newKeyId, keys, current) };
  return { keys: await checkInterruptedCreate(r, keys, current) };
}

/** The vault already holds the new key: prove it and delete the old one. */
async function finishStored(r: Rotation, oldKeyId: string, newKeyId: string): Promise<void> {
  r.record.step('resume', 'ok', { detail: `the vault already holds the new key ${newKeyId}; finishing the rotation from ${oldKeyId}` });
  r.info(notice.finishing(newKeyId, oldKeyId));
  r.report.oldKeyId = oldKeyId;
  r.report.newKeyId = newKeyId;
  await verifyStored(r, { oldKeyId, newKeyId });
  await deleteOld(r, { oldKeyId, newKeyId });
}

/** A new key was made but never stored: its secret is lost, so delete it. Returns the keys left. */
async function deleteOrphan(r: Rotation, newKeyId: string, keys: AccessKeyInfo[], current: StoredKey): Promise<AccessKeyInfo[]> {
  r.record.step('resume', 'ok', { detail: `interrupted before the new key ${newKeyId} was stored; its secret is lost` });
  let left = keys;
  if (!keys.some((k) => k.accessKeyId === newKeyId)) {
    r.record.step('cleanup-orphan', 'skipped', { detail: `${newKeyId} no longer exists` });
  } else {
    r.info(notice.deletingOrphan(newKeyId));
    const d = await deleteKey(r, newKeyId);
    if (!d.ok) {
      r.record.step('cleanup-orphan', 'failed', { attempts: d.attempts, detail: errorCode(d.error) });
      const cmd = deleteKeyCommand(r.user.userName, newKeyId);
      r.report.cleanup.push(cmd);
      throw r.record.fail(ErrorCodes.ROTATE, orphanNotDeleted(r.profile, newKeyId, d.error, current.accessKeyId, cmd), d.error);
    }
    r.record.step('cleanup-orphan', 'ok', { attempts: d.attempts, detail: `${newKeyId} ${d.value}` });
    left = keys.filter((k) => k.accessKeyId !== newKeyId);
  }
  await r.dropJournal();
  return left;
}

/**
 * Killed during CreateAccessKey: a key may or may not have been made. With
 * no key besides the vault's, returns the keys to start over; otherwise
 * names the unknown key, which rolehop cannot tell from one made elsewhere.
 */
async function checkInterruptedCreate(r: Rotation, keys: AccessKeyInfo[], current: StoredKey): Promise<AccessKeyInfo[]> {
  const unknown = keys.filter((k) => k.accessKeyId !== current.accessKeyId);
  await r.dropJournal();
  if (unknown.length === 0) {
    r.record.step('resume', 'ok', { detail: 'interrupted before a key was created; starting over' });
    return keys;
  }
  r.record.step('resume', 'failed', { detail: `interrupted while creating a key; IAM has ${unknown.map((k) => k.accessKeyId).join(', ')}` });
  r.report.cleanup.push(...unknown.map((k) => deleteKeyCommand(r.user.userName, k.accessKeyId)));
  throw r.record.fail(ErrorCodes.ROTATE, interruptedCreate(r.profile, r.user.userName, unknown, current.accessKeyId, r.report.cleanup));
}
