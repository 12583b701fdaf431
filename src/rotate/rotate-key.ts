import type { IamPort, AccessKeyInfo } from '../aws/iam-port.js';
import { isRetryableAwsError } from '../aws/map-error.js';
import type { StsPort } from '../aws/sts-port.js';
import type { Credentials, StoredKey } from '../credentials/types.js';
import type { Vault } from '../credentials/vault-contract.js';
import { ErrorCodes, RolehopError, isRolehopError, type ErrorCode } from '../errors.js';
import type { Clock, Logger } from '../io/context.js';
import { deleteKeyCommand } from './cleanup-command.js';
import { iamUserFromArn, type IamUser } from './iam-user.js';
import type { JournalStore, RotationJournal } from './journal.js';
import type { RotationReport, RotationStepName, RotationStepResult } from './report.js';
import { sleep as realSleep } from '../async/sleep.js';
import { retryUntil, type RetryBounds } from './retry.js';

/** Retry bounds of the two waits of a rotation. */
export interface RotationTiming {
  /** Waiting for IAM to accept a new key (typically 3-15 s, up to about 60 s). */
  verify: RetryBounds;
  /** Deleting a key (IAM may briefly refuse a fresh caller key). */
  delete: RetryBounds;
}

/** Poll every 1-5 s for up to a minute, as IAM's eventual consistency needs. */
export const DEFAULT_ROTATION_TIMING: RotationTiming = {
  verify: { timeoutMs: 60_000, initialDelayMs: 1000, maxDelayMs: 5000 },
  delete: { timeoutMs: 60_000, initialDelayMs: 1000, maxDelayMs: 5000 },
};

/** Everything a rotation touches, injected. */
export interface RotationDeps {
  iam: IamPort;
  /** GetCallerIdentity proves a key works and names its user. */
  sts: Pick<StsPort, 'getCallerIdentity'>;
  vault: Pick<Vault, 'get' | 'put'>;
  /**
   * Credentials that sign the IAM calls, given the key the vault holds at
   * the start: an MFA session (`broker.sessionCredentials`) when the profile
   * has `mfa_serial`, else the key itself. Called once per rotation.
   */
  iamCaller: (current: StoredKey) => Promise<Credentials>;
  /** Drops cached sessions of every profile using the key; returns how many. */
  clearSessions: () => Promise<number>;
  journal: JournalStore;
  clock: Clock;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  timing?: { verify?: Partial<RetryBounds>; delete?: Partial<RetryBounds> };
  /** Asked once before anything changes; false cancels. Absent: no question. */
  confirm?: (q: { keyProfile: string; userName: string; oldKeyId: string }) => Promise<boolean>;
  /** Progress notices (key ids only). */
  logger?: Logger;
  signal?: AbortSignal;
}

/** Which key to rotate. */
export interface RotationRequest {
  /** Profile the user named. */
  profile: string;
  /** Profile whose vault entry holds the long-lived key (the plan's source). */
  keyProfile: string;
}

function errorCode(e: unknown): string {
  if (!isRolehopError(e)) return (e as Error)?.name ?? 'Error';
  const aws = (e.details as { awsCode?: unknown } | undefined)?.awsCode;
  return typeof aws === 'string' ? `${e.code} (${aws})` : e.code;
}

function awsCode(e: unknown): string | undefined {
  const d = isRolehopError(e) ? (e.details as { awsCode?: unknown } | undefined) : undefined;
  if (typeof d?.awsCode === 'string') return d.awsCode;
  const n = (e as { name?: string })?.name;
  return typeof n === 'string' ? n : undefined;
}

function message(e: unknown): string {
  return isRolehopError(e) ? e.message : `${(e as Error)?.message ?? String(e)}`;
}

/** Errors worth another try while IAM propagates a key change. */
function propagationRetryable(e: unknown): boolean {
  if (isRolehopError(e) && e.code === ErrorCodes.ABORTED) return false;
  return (isRolehopError(e) && (e.code === ErrorCodes.AWS_INVALID_KEY || e.code === ErrorCodes.AWS_NETWORK)) || isRetryableAwsError(e);
}

class WrongIdentity extends Error {
  constructor(readonly arn: string) {
    super(`the key answers as ${arn}`);
  }
}

/**
 * One rotation. Invariants, whatever step fails or when the process dies:
 * the vault holds a key that works; IAM keeps at most one key rolehop does
 * not hold; every failure message names what is left and the exact command
 * to remove it. The journal records key ids before each irreversible step so
 * the next run can finish or clean up.
 */
class Rotation {
  readonly report: RotationReport;
  private readonly timing: RotationTiming;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private caller: Credentials | undefined;
  private user: IamUser | undefined;
  private startedAt = '';

  constructor(
    private readonly deps: RotationDeps,
    req: RotationRequest,
  ) {
    this.report = { profile: req.profile, keyProfile: req.keyProfile, resumed: false, ok: false, steps: [], cleanup: [] };
    this.timing = {
      verify: { ...DEFAULT_ROTATION_TIMING.verify, ...deps.timing?.verify },
      delete: { ...DEFAULT_ROTATION_TIMING.delete, ...deps.timing?.delete },
    };
    this.sleep = deps.sleep ?? realSleep;
  }

  private get keyProfile(): string {
    return this.report.keyProfile;
  }

  private step(step: RotationStepName, outcome: RotationStepResult['outcome'], extra: { attempts?: number; detail?: string } = {}): void {
    this.report.steps.push({ step, outcome, ...extra });
  }

  private info(m: string): void {
    this.deps.logger?.info(m);
  }

  /** A failure: the report travels with it as `details.report`. */
  private fail(code: ErrorCode, msg: string, hint: string, cause?: unknown): RolehopError {
    return new RolehopError(code, msg, { hint, ...(cause !== undefined ? { cause } : {}), details: { report: this.report } });
  }

  /** A failure before anything changed: keep the original code and hint. */
  private failUnchanged(e: unknown, what: string): RolehopError {
    if (isRolehopError(e)) {
      return new RolehopError(e.code, `${e.message} (${what}; nothing was changed)`, {
        ...(e.hint ? { hint: e.hint } : {}),
        cause: e,
        details: { ...e.details, report: this.report },
      });
    }
    return this.fail(ErrorCodes.ROTATE, `${what} failed: ${message(e)}; nothing was changed`, 'Run again with --debug for details.', e);
  }

  private get time() {
    return { now: () => this.deps.clock.now(), sleep: this.sleep };
  }

  private journal(phase: RotationJournal['phase'], oldKeyId: string, newKeyId?: string): RotationJournal {
    const user = this.user!;
    return {
      version: 1,
      profile: this.keyProfile,
      userName: user.userName,
      userArn: user.arn,
      oldKeyId,
      ...(newKeyId ? { newKeyId } : {}),
      phase,
      startedAt: this.startedAt,
      updatedAt: new Date(this.deps.clock.now()).toISOString(),
    };
  }

  /** Journal updates after the first one are a safety net: a failure is noted, not fatal. */
  private async saveJournal(j: RotationJournal): Promise<void> {
    try {
      await this.deps.journal.write(j);
    } catch (e) {
      this.deps.logger?.warn(`could not update the rotation journal ${this.deps.journal.location}: ${message(e)}`);
    }
  }

  private async dropJournal(): Promise<void> {
    try {
      await this.deps.journal.remove();
    } catch (e) {
      this.deps.logger?.warn(`could not remove the rotation journal ${this.deps.journal.location}: ${message(e)}`);
    }
  }

  // --- AWS operations -----------------------------------------------------

  /** Polls GetCallerIdentity with `key` until it answers as our user. */
  private async proveKey(key: Credentials) {
    return retryUntil(
      async () => {
        const who = await this.deps.sts.getCallerIdentity(key);
        if (who.arn !== this.user!.arn) throw new WrongIdentity(who.arn);
        return who;
      },
      { bounds: this.timing.verify, time: this.time, retryable: (e) => e instanceof WrongIdentity || propagationRetryable(e), ...(this.deps.signal ? { signal: this.deps.signal } : {}) },
    );
  }

  /** Deletes a key, retrying while IAM propagates; a key already gone counts as deleted. */
  private async deleteKey(accessKeyId: string) {
    return retryUntil(
      async () => {
        try {
          await this.deps.iam.deleteAccessKey(this.caller!, this.user!.userName, accessKeyId);
          return 'deleted' as const;
        } catch (e) {
          if (awsCode(e) === 'NoSuchEntity') return 'already gone' as const;
          throw e;
        }
      },
      { bounds: this.timing.delete, time: this.time, retryable: propagationRetryable, ...(this.deps.signal ? { signal: this.deps.signal } : {}) },
    );
  }

  /**
   * Deletes the new key after a failure, so the vault's (old, working) key
   * is the only one left. Returns a sentence for the error message.
   */
  private async rollback(newKeyId: string): Promise<string> {
    const r = await this.deleteKey(newKeyId);
    if (r.ok) {
      this.step('rollback-new-key', 'ok', { attempts: r.attempts, detail: `${newKeyId} ${r.value}` });
      await this.dropJournal();
      return `The new key ${newKeyId} was deleted again; IAM is back to the key the vault holds.`;
    }
    this.step('rollback-new-key', 'failed', { attempts: r.attempts, detail: errorCode(r.error) });
    const cmd = deleteKeyCommand(this.user!.userName, newKeyId);
    this.report.cleanup.push(cmd);
    return `The new key ${newKeyId} could not be deleted again (${errorCode(r.error)}); it is unused, delete it: ${cmd}`;
  }

  // --- the run ------------------------------------------------------------

  async run(): Promise<RotationReport> {
    const previous = await this.deps.journal.read();
    let current: StoredKey;
    try {
      current = await this.deps.vault.get(this.keyProfile);
    } catch (e) {
      throw this.failUnchanged(e, `reading the key of "${this.keyProfile}" from the vault`);
    }
    this.report.vaultKeyId = current.accessKeyId;
    this.report.oldKeyId = current.accessKeyId;

    try {
      const who = await this.deps.sts.getCallerIdentity(current);
      this.user = iamUserFromArn(who.arn, this.keyProfile);
      this.report.userName = this.user.userName;
      this.report.userArn = this.user.arn;
      this.step('resolve-user', 'ok', { detail: this.user.arn });
    } catch (e) {
      this.step('resolve-user', 'failed', { detail: errorCode(e) });
      throw this.failUnchanged(e, `checking the stored key ${current.accessKeyId}`);
    }

    try {
      this.caller = await this.deps.iamCaller(current);
    } catch (e) {
      throw this.failUnchanged(e, 'obtaining credentials for IAM');
    }

    let keys: AccessKeyInfo[] | undefined;
    if (previous) {
      const outcome = await this.resume(previous, current);
      if (outcome === 'finished') return this.report;
      keys = outcome.keys;
    }
    return this.fresh(current, keys);
  }

  /** Decides what an interrupted rotation left behind and finishes or cleans it up. */
  private async resume(j: RotationJournal, current: StoredKey): Promise<'finished' | { keys?: AccessKeyInfo[] }> {
    this.report.resumed = true;
    if (j.userArn !== this.user!.arn || (current.accessKeyId !== j.oldKeyId && current.accessKeyId !== j.newKeyId)) {
      // The vault was changed by hand (`rolehop add`) since: the journal no longer describes it.
      this.step('resume', 'skipped', { detail: `stale journal (vault holds ${current.accessKeyId}, journal ${j.oldKeyId} -> ${j.newKeyId ?? '?'}); discarded` });
      await this.dropJournal();
      return {};
    }
    this.startedAt = j.startedAt;
    if (j.newKeyId && current.accessKeyId === j.newKeyId) {
      this.step('resume', 'ok', { detail: `the vault already holds the new key ${j.newKeyId}; finishing the rotation from ${j.oldKeyId}` });
      this.info(`Finishing an interrupted rotation: the vault holds ${j.newKeyId}, the old key ${j.oldKeyId} is still to be deleted.`);
      this.report.oldKeyId = j.oldKeyId;
      this.report.newKeyId = j.newKeyId;
      await this.verifyStored(undefined);
      await this.deleteOld(j.oldKeyId);
      return 'finished';
    }

    // The vault still holds the old key: any new key's secret died with the process.
    let keys: AccessKeyInfo[];
    try {
      keys = await this.deps.iam.listAccessKeys(this.caller!, this.user!.userName);
    } catch (e) {
      this.step('resume', 'failed', { detail: errorCode(e) });
      throw this.failUnchanged(e, 'listing keys to clean up an interrupted rotation');
    }
    if (j.newKeyId) {
      const newKeyId = j.newKeyId;
      this.step('resume', 'ok', { detail: `interrupted before the new key ${newKeyId} was stored; its secret is lost` });
      if (!keys.some((k) => k.accessKeyId === newKeyId)) {
        this.step('cleanup-orphan', 'skipped', { detail: `${newKeyId} no longer exists` });
      } else {
        this.info(`Deleting ${newKeyId}, left behind by an interrupted rotation (its secret was never stored).`);
        const r = await this.deleteKey(newKeyId);
        if (!r.ok) {
          this.step('cleanup-orphan', 'failed', { attempts: r.attempts, detail: errorCode(r.error) });
          const cmd = deleteKeyCommand(this.user!.userName, newKeyId);
          this.report.cleanup.push(cmd);
          throw this.fail(
            ErrorCodes.ROTATE,
            `An interrupted rotation left the unused key ${newKeyId}, and deleting it failed: ${message(r.error)}. The vault still holds ${current.accessKeyId}, which works.`,
            `Delete it: ${cmd} (or run \`rolehop rotate ${this.report.profile}\` again).`,
            r.error,
          );
        }
        this.step('cleanup-orphan', 'ok', { attempts: r.attempts, detail: `${newKeyId} ${r.value}` });
        keys = keys.filter((k) => k.accessKeyId !== newKeyId);
      }
      await this.dropJournal();
      return { keys };
    }

    // Killed during CreateAccessKey: a key may or may not have been made.
    const unknown = keys.filter((k) => k.accessKeyId !== current.accessKeyId);
    await this.dropJournal();
    if (unknown.length === 0) {
      this.step('resume', 'ok', { detail: 'interrupted before a key was created; starting over' });
      return { keys };
    }
    this.step('resume', 'failed', { detail: `interrupted while creating a key; IAM has ${unknown.map((k) => k.accessKeyId).join(', ')}` });
    this.report.cleanup.push(...unknown.map((k) => deleteKeyCommand(this.user!.userName, k.accessKeyId)));
    throw this.fail(
      ErrorCodes.ROTATE,
      `A previous rotation was interrupted while creating a key. IAM user ${this.user!.userName} now also has ${unknown
        .map((k) => `${k.accessKeyId} (created ${k.createDate?.toISOString() ?? 'at an unknown time'})`)
        .join(', ')}, which rolehop does not hold; the vault still holds ${current.accessKeyId}, which works.`,
      `If you did not create it elsewhere, delete it: ${this.report.cleanup.join(' ; ')} — then run \`rolehop rotate ${this.report.profile}\` again.`,
    );
  }

  private async fresh(old: StoredKey, listed: AccessKeyInfo[] | undefined): Promise<RotationReport> {
    const user = this.user!;
    let keys = listed;
    if (!keys) {
      try {
        keys = await this.deps.iam.listAccessKeys(this.caller!, user.userName);
      } catch (e) {
        this.step('list-keys', 'failed', { detail: errorCode(e) });
        throw this.failUnchanged(e, 'listing access keys');
      }
    }
    this.step('list-keys', 'ok', { detail: keys.map((k) => `${k.accessKeyId} ${k.status}`).join(', ') });
    const others = keys.filter((k) => k.accessKeyId !== old.accessKeyId);
    if (keys.length >= 2) {
      this.report.cleanup.push(...others.map((k) => deleteKeyCommand(user.userName, k.accessKeyId)));
      const describe = (k: AccessKeyInfo) =>
        `${k.accessKeyId} (${k.status}${k.createDate ? `, created ${k.createDate.toISOString().slice(0, 10)}` : ''}${k.accessKeyId === old.accessKeyId ? `, the one rolehop holds for "${this.keyProfile}"` : ''})`;
      throw this.fail(
        ErrorCodes.ROTATE,
        `IAM user ${user.userName} already has ${keys.length} access keys: ${keys.map(describe).join(' and ')}. AWS allows two per user (inactive ones count), so no new key can be created; nothing was changed.`,
        `Delete the key rolehop does not use if nothing else needs it: ${this.report.cleanup.join(' ; ')} — then run \`rolehop rotate ${this.report.profile}\` again.`,
      );
    }
    if (others.length === 0 && !keys.some((k) => k.accessKeyId === old.accessKeyId)) {
      throw this.fail(ErrorCodes.ROTATE, `The stored key ${old.accessKeyId} is not among the keys of IAM user ${user.userName}; nothing was changed`, 'Check the key with `aws iam list-access-keys`.');
    }

    if (this.deps.confirm) {
      const yes = await this.deps.confirm({ keyProfile: this.keyProfile, userName: user.userName, oldKeyId: old.accessKeyId });
      if (!yes) {
        this.step('confirm', 'failed', { detail: 'declined' });
        throw this.fail(ErrorCodes.ABORTED, 'Rotation cancelled; nothing was changed', `Run \`rolehop rotate ${this.report.profile} --yes\` to rotate without the question.`);
      }
      this.step('confirm', 'ok');
    }

    this.startedAt = new Date(this.deps.clock.now()).toISOString();
    try {
      await this.deps.journal.write(this.journal('creating', old.accessKeyId));
    } catch (e) {
      throw this.failUnchanged(e, `writing the rotation journal ${this.deps.journal.location}`);
    }

    // --- create ---
    let created: StoredKey;
    try {
      const k = await this.deps.iam.createAccessKey(this.caller!, user.userName);
      created = { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
    } catch (e) {
      this.step('create-key', 'failed', { detail: errorCode(e) });
      throw await this.createFailed(e, old, keys);
    }
    this.report.newKeyId = created.accessKeyId;
    this.step('create-key', 'ok', { detail: created.accessKeyId });
    this.info(`Created access key ${created.accessKeyId} for ${user.userName}; waiting until AWS accepts it.`);
    await this.saveJournal(this.journal('created', old.accessKeyId, created.accessKeyId));

    // --- prove the new key ---
    const proved = await this.proveKey(created);
    if (!proved.ok) {
      this.step('verify-new-key', 'failed', { attempts: proved.attempts, detail: errorCode(proved.error) });
      const after = await this.rollback(created.accessKeyId);
      throw this.fail(
        ErrorCodes.ROTATE,
        `The new key ${created.accessKeyId} was not accepted by AWS after ${proved.attempts} attempt(s) (${proved.error instanceof WrongIdentity ? proved.error.message : errorCode(proved.error)}). ${after} The vault still holds ${old.accessKeyId}, which works.`,
        this.report.cleanup.length ? `Delete the unused key: ${this.report.cleanup.join(' ; ')}` : 'Try again later; IAM may be slow to propagate new keys.',
        proved.error,
      );
    }
    this.step('verify-new-key', 'ok', { attempts: proved.attempts });

    // --- store ---
    try {
      await this.deps.vault.put(this.keyProfile, created);
      this.step('store-key', 'ok');
    } catch (e) {
      await this.storeFailed(e, old, created);
    }
    this.report.vaultKeyId = created.accessKeyId;
    await this.saveJournal(this.journal('stored', old.accessKeyId, created.accessKeyId));

    await this.verifyStored(old);
    await this.deleteOld(old.accessKeyId);
    return this.report;
  }

  /** CreateAccessKey failed: make sure it did not half-succeed (a timeout after the fact). */
  private async createFailed(e: unknown, old: StoredKey, before: AccessKeyInfo[]): Promise<RolehopError> {
    let after: AccessKeyInfo[];
    try {
      after = await this.deps.iam.listAccessKeys(this.caller!, this.user!.userName);
    } catch {
      // Cannot tell: keep the journal so the next run checks.
      return this.fail(
        ErrorCodes.ROTATE,
        `Creating a new key failed (${message(e)}), and rolehop could not check whether one was created anyway. The vault still holds ${old.accessKeyId}, which works.`,
        `Run \`rolehop rotate ${this.report.profile}\` again: it checks and cleans up first.`,
        e,
      );
    }
    const appeared = after.filter((k) => !before.some((b) => b.accessKeyId === k.accessKeyId));
    if (appeared.length === 0) {
      await this.dropJournal();
      const limit = awsCode(e) === 'LimitExceeded';
      return this.fail(
        isRolehopError(e) && !limit ? e.code : ErrorCodes.ROTATE,
        `Creating a new key failed: ${message(e)}. Nothing was changed; the vault still holds ${old.accessKeyId}.`,
        limit
          ? 'The user already has two keys; delete the one rolehop does not use (`aws iam list-access-keys`), then try again.'
          : isRolehopError(e) && e.hint
            ? e.hint
            : 'The IAM user needs iam:CreateAccessKey, iam:DeleteAccessKey and iam:ListAccessKeys on itself.',
        e,
      );
    }
    const notes: string[] = [];
    for (const k of appeared) notes.push(await this.rollback(k.accessKeyId));
    return this.fail(
      ErrorCodes.ROTATE,
      `Creating a new key reported an error (${message(e)}) although a key was created. ${notes.join(' ')} The vault still holds ${old.accessKeyId}, which works.`,
      this.report.cleanup.length ? `Delete the unused key: ${this.report.cleanup.join(' ; ')}` : 'Try again.',
      e,
    );
  }

  /** `vault.put` failed: find out what the vault holds and act on that. Returns only when the new key is stored. */
  private async storeFailed(e: unknown, old: StoredKey, created: StoredKey): Promise<void> {
    let held: string | undefined;
    try {
      held = (await this.deps.vault.get(this.keyProfile)).accessKeyId;
    } catch {
      held = undefined;
    }
    if (held === created.accessKeyId) {
      this.step('store-key', 'ok', { detail: `the write reported ${errorCode(e)} but the vault holds ${created.accessKeyId}` });
      return;
    }
    this.step('store-key', 'failed', { detail: errorCode(e) });
    if (held === old.accessKeyId) {
      const after = await this.rollback(created.accessKeyId);
      throw this.fail(
        ErrorCodes.ROTATE,
        `Could not store the new key ${created.accessKeyId} in the vault: ${message(e)}. ${after} The vault still holds ${old.accessKeyId}, which works.`,
        this.report.cleanup.length ? `Delete the unused key: ${this.report.cleanup.join(' ; ')}` : 'Fix the vault problem, then run the rotation again.',
        e,
      );
    }
    // Unknown state: deleting either key could leave the vault without a working one.
    const delOld = deleteKeyCommand(this.user!.userName, old.accessKeyId);
    const delNew = deleteKeyCommand(this.user!.userName, created.accessKeyId);
    this.report.cleanup.push(delOld, delNew);
    this.report.vaultKeyId = held;
    throw this.fail(
      ErrorCodes.ROTATE,
      `Could not store the new key ${created.accessKeyId} (${message(e)}) and could not read the vault back; both ${old.accessKeyId} (old) and ${created.accessKeyId} (new) still exist in IAM.`,
      `Once the vault works, run \`rolehop rotate ${this.report.profile}\` again to finish or clean up. By hand: if \`rolehop list\` shows ${created.accessKeyId} for "${this.keyProfile}", run ${delOld}; otherwise run ${delNew}.`,
      e,
    );
  }

  /**
   * Reads the key back from the vault and proves it. On failure during a
   * fresh rotation (`old` known) the old key is put back and the new one
   * deleted; when resuming, the old secret is gone, so both keys are kept.
   */
  private async verifyStored(old: StoredKey | undefined): Promise<void> {
    const newKeyId = this.report.newKeyId!;
    let problem: unknown;
    let attempts = 0;
    try {
      const stored = await this.deps.vault.get(this.keyProfile);
      if (stored.accessKeyId !== newKeyId) {
        problem = new Error(`the vault returned ${stored.accessKeyId} instead of ${newKeyId}`);
      } else {
        const r = await this.proveKey(stored);
        attempts = r.attempts;
        if (!r.ok) problem = r.error;
      }
    } catch (e) {
      problem = e;
    }
    if (problem === undefined) {
      this.step('verify-stored-key', 'ok', { attempts });
      return;
    }
    this.step('verify-stored-key', 'failed', { ...(attempts ? { attempts } : {}), detail: errorCode(problem) });
    const why = problem instanceof WrongIdentity || !isRolehopError(problem) ? (problem as Error).message : errorCode(problem);
    const oldKeyId = this.report.oldKeyId!;
    if (old) {
      try {
        await this.deps.vault.put(this.keyProfile, old);
        this.step('restore-old-key', 'ok', { detail: old.accessKeyId });
        this.report.vaultKeyId = old.accessKeyId;
      } catch (e) {
        this.step('restore-old-key', 'failed', { detail: errorCode(e) });
        const cmd = deleteKeyCommand(this.user!.userName, oldKeyId);
        throw this.fail(
          ErrorCodes.ROTATE,
          `The key stored in the vault could not be proven to work (${why}), and putting the old key back failed too (${message(e)}). Both ${oldKeyId} (old) and ${newKeyId} (new) still exist in IAM; nothing was deleted.`,
          `Once the vault works, run \`rolehop rotate ${this.report.profile}\` again to finish. If \`rolehop list\` shows ${newKeyId}, the old key can go: ${cmd}`,
          problem,
        );
      }
      const after = await this.rollback(newKeyId);
      throw this.fail(
        ErrorCodes.ROTATE,
        `The key stored in the vault could not be proven to work (${why}). The old key ${oldKeyId} was put back in the vault. ${after}`,
        this.report.cleanup.length ? `Delete the unused key: ${this.report.cleanup.join(' ; ')}` : 'Check the vault backend, then run the rotation again.',
        problem,
      );
    }
    const cmd = deleteKeyCommand(this.user!.userName, oldKeyId);
    throw this.fail(
      ErrorCodes.ROTATE,
      `Finishing an interrupted rotation: the key ${newKeyId} in the vault could not be proven to work (${why}); the old key ${oldKeyId} was left in IAM.`,
      `Check \`rolehop exec ${this.report.profile} -- aws sts get-caller-identity\`; once it works, run \`rolehop rotate ${this.report.profile}\` again, or delete the old key: ${cmd}`,
      problem,
    );
  }

  /** Deletes the old key, then clears cached sessions and the journal. */
  private async deleteOld(oldKeyId: string): Promise<void> {
    const newKeyId = this.report.newKeyId!;
    this.info(`Deleting the old key ${oldKeyId}.`);
    const r = await this.deleteKey(oldKeyId);
    if (r.ok) this.step('delete-old-key', 'ok', { attempts: r.attempts, detail: `${oldKeyId} ${r.value}` });
    else this.step('delete-old-key', 'failed', { attempts: r.attempts, detail: errorCode(r.error) });
    await this.clearSessions();
    if (!r.ok) {
      const cmd = deleteKeyCommand(this.user!.userName, oldKeyId);
      this.report.cleanup.push(cmd);
      throw this.fail(
        ErrorCodes.ROTATE,
        `The vault now holds the new key ${newKeyId}, which works, but deleting the old key ${oldKeyId} failed: ${message(r.error)}`,
        `Delete it: ${cmd} (or run \`rolehop rotate ${this.report.profile}\` again to finish).`,
        r.error,
      );
    }
    await this.dropJournal();
    this.report.ok = true;
  }

  private async clearSessions(): Promise<void> {
    try {
      const n = await this.deps.clearSessions();
      this.report.sessionsCleared = n;
      this.step('clear-sessions', 'ok', { detail: `${n} cached session(s) removed` });
    } catch (e) {
      this.step('clear-sessions', 'failed', { detail: errorCode(e) });
      this.deps.logger?.warn(`could not clear cached sessions (${message(e)}); run \`rolehop clear ${this.keyProfile}\`.`);
    }
  }
}

/**
 * Rotates the long-lived key of `req.keyProfile` without ever leaving the
 * vault without a working key: list (stop at two keys), create, prove the
 * new key with GetCallerIdentity (bounded retry while IAM propagates),
 * store, prove the stored key, only then delete the old key (bounded
 * retry), and clear dependent cached sessions. A journal left by an
 * interrupted run is finished or cleaned up first. Resolves with the
 * report when the rotation completed; otherwise throws a RolehopError whose
 * message names what is left and whose `details.report` is the report.
 */
export async function rotateAccessKey(deps: RotationDeps, req: RotationRequest): Promise<RotationReport> {
  return deps.journal.exclusive(() => new Rotation(deps, req).run());
}
