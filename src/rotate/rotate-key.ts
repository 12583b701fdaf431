import type { AccessKeyInfo } from '../aws/iam-port.js';
import type { Credentials, StoredKey } from '../credentials/types.js';
import type { RotationDeps, RotationRequest } from './deps.js';
import { errorCode } from './describe-error.js';
import { rotateFresh } from './fresh.js';
import { iamUserFromArn, type IamUser } from './iam-user.js';
import { doing } from './messages.js';
import { RotationRecord } from './record.js';
import type { RotationReport } from './report.js';
import { resume } from './resume.js';
import { Rotation } from './rotation.js';

export { DEFAULT_ROTATION_TIMING, type RotationDeps, type RotationRequest, type RotationTiming } from './deps.js';

/**
 * Rotates the long-lived key of `req.keyProfile` without ever leaving the
 * vault without a working key: list (stop at two keys), create, prove the
 * new key with GetCallerIdentity (bounded retry while IAM propagates),
 * store, prove the stored key, only then delete the old key (bounded
 * retry), and clear dependent cached sessions. A journal left by an
 * interrupted run is finished or cleaned up first. Resolves with the
 * report when the rotation completed; otherwise throws a RolehopError whose
 * message names what is left and whose `details.report` is the report.
 *
 * Invariants, whatever step fails or when the process dies: the vault holds
 * a key that works; IAM keeps at most one key rolehop does not hold; every
 * failure message names what is left and the exact command to remove it.
 * The journal records key ids before each irreversible step so the next run
 * can finish or clean up.
 */
export async function rotateAccessKey(deps: RotationDeps, req: RotationRequest): Promise<RotationReport> {
  return deps.journal.exclusive(() => run(deps, new RotationRecord(req)));
}

/** Resolves the state once (vault key, IAM user, IAM caller), then resumes an interrupted rotation or starts a fresh one. */
async function run(deps: RotationDeps, record: RotationRecord): Promise<RotationReport> {
  const previous = await deps.journal.read();
  const current = await readVaultKey(deps, record);
  const user = await resolveUser(deps, record, current);
  const caller = await iamCaller(deps, record, current);
  const rotation = new Rotation(deps, record, user, caller);
  let keys: AccessKeyInfo[] | undefined;
  if (previous) {
    const outcome = await resume(rotation, previous, current);
    if (outcome === 'finished') return record.report;
    keys = outcome.keys;
  }
  return rotateFresh(rotation, current, keys);
}

async function readVaultKey(deps: RotationDeps, record: RotationRecord): Promise<StoredKey> {
  const { keyProfile } = record.report;
  let current: StoredKey;
  try {
    current = await deps.vault.get(keyProfile);
  } catch (e) {
    throw record.failUnchanged(e, doing.readVault(keyProfile));
  }
  record.report.vaultKeyId = current.accessKeyId;
  record.report.oldKeyId = current.accessKeyId;
  return current;
}

/** The IAM user the vault's key answers as; refuses root and non-user principals. */
async function resolveUser(deps: RotationDeps, record: RotationRecord, current: StoredKey): Promise<IamUser> {
  try {
    const who = await deps.sts.getCallerIdentity(current);
    const user = iamUserFromArn(who.arn, record.report.keyProfile);
    record.report.userName = user.userName;
    record.report.userArn = user.arn;
    record.step('resolve-user', 'ok', { detail: user.arn });
    return user;
  } catch (e) {
    record.step('resolve-user', 'failed', { detail: errorCode(e) });
    throw record.failUnchanged(e, doing.checkStoredKey(current.accessKeyId));
  }
}

async function iamCaller(deps: RotationDeps, record: RotationRecord, current: StoredKey): Promise<Credentials> {
  try {
    return await deps.iamCaller(current);
  } catch (e) {
    throw record.failUnchanged(e, doing.getIamCaller);
  }
}
