/** The steps of a rotation, in the order they normally run. */
export type RotationStepName =
  | 'resume'
  | 'resolve-user'
  | 'list-keys'
  | 'cleanup-orphan'
  | 'confirm'
  | 'create-key'
  | 'verify-new-key'
  | 'store-key'
  | 'verify-stored-key'
  | 'delete-old-key'
  | 'clear-sessions'
  | 'restore-old-key'
  | 'rollback-new-key';

/** What happened in one step. Never holds a secret. */
export interface RotationStepResult {
  step: RotationStepName;
  outcome: 'ok' | 'failed' | 'skipped';
  /** Calls made, for steps that retry. */
  attempts?: number;
  /** One line for people: ids, counts, the error code on failure. */
  detail?: string;
}

/**
 * The `--json` report of `rolehop rotate` (also attached to the error as
 * `details.report` on failure). Key ids only, never a secret.
 */
export interface RotationReport {
  /** Profile asked for. */
  profile: string;
  /** Profile whose vault entry holds the key. */
  keyProfile: string;
  userName?: string;
  userArn?: string;
  oldKeyId?: string;
  newKeyId?: string;
  /** Whether an interrupted rotation was found in the journal. */
  resumed: boolean;
  ok: boolean;
  /** Key id the vault holds at the end, when known. */
  vaultKeyId?: string;
  sessionsCleared?: number;
  steps: RotationStepResult[];
  /** Exact commands for what is left to clean up by hand (empty when nothing). */
  cleanup: string[];
}
