import type { RetryTime } from '../async/retry.js';
import { sleep } from '../async/sleep.js';
import type { Credentials } from '../credentials/types.js';
import { rotationTiming, type RotationDeps, type RotationTiming } from './deps.js';
import type { IamUser } from './iam-user.js';
import type { RotationJournal } from './journal.js';
import { warning } from './messages.js';
import type { RotationRecord } from './record.js';
import type { RotationReport } from './report.js';

/**
 * One rotation once its state is resolved: the IAM user the stored key
 * belongs to and the credentials that sign IAM calls are known before any
 * step runs, so the steps take them as they are. Holds what every step
 * shares: the deps, the record, the timing and the journal.
 */
export class Rotation {
  /** When this rotation (or the interrupted one it finishes) started; set before the first journal write. */
  startedAt = '';
  readonly timing: RotationTiming;
  readonly time: RetryTime;

  constructor(
    readonly deps: RotationDeps,
    readonly record: RotationRecord,
    readonly user: IamUser,
    /** Signs the IAM calls. */
    readonly caller: Credentials,
  ) {
    this.timing = rotationTiming(deps);
    this.time = { now: () => deps.clock.now(), sleep: deps.sleep ?? sleep };
  }

  get report(): RotationReport {
    return this.record.report;
  }

  /** The profile the user named, for "run `rolehop rotate PROFILE` again". */
  get profile(): string {
    return this.record.report.profile;
  }

  /** The profile whose vault entry holds the key. */
  get keyProfile(): string {
    return this.record.report.keyProfile;
  }

  info(m: string): void {
    this.deps.logger?.info(m);
  }

  /** A journal entry for this rotation in `phase`. */
  journalEntry(phase: RotationJournal['phase'], oldKeyId: string, newKeyId?: string): RotationJournal {
    return {
      version: 1,
      profile: this.keyProfile,
      userName: this.user.userName,
      userArn: this.user.arn,
      oldKeyId,
      ...(newKeyId ? { newKeyId } : {}),
      phase,
      startedAt: this.startedAt,
      updatedAt: new Date(this.deps.clock.now()).toISOString(),
    };
  }

  /** Journal updates after the first one are a safety net: a failure is noted, not fatal. */
  async saveJournal(j: RotationJournal): Promise<void> {
    try {
      await this.deps.journal.write(j);
    } catch (e) {
      this.deps.logger?.warn(warning.journal('update', this.deps.journal.location, e));
    }
  }

  /** Removes the journal; a failure is noted, not fatal. */
  async dropJournal(): Promise<void> {
    try {
      await this.deps.journal.remove();
    } catch (e) {
      this.deps.logger?.warn(warning.journal('remove', this.deps.journal.location, e));
    }
  }
}
