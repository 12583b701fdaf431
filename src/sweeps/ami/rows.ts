/** What happened to one AMI (or, for `snapshots-deleted`, to the snapshots of one already gone). */
export type AmiAction =
  | 'created'
  | 'would-create'
  | 'copied'
  | 'deregistered'
  | 'would-deregister'
  | 'snapshots-deleted'
  | 'would-delete-snapshots'
  | 'kept'
  | 'failed'
  /** Not made (or not deleted): the run was stopped (Ctrl-C) before it. */
  | 'not-started';

/** Why one AMI's step failed; `code` is a stable `ERR_…` code. */
export interface AmiRowError {
  code: string;
  message: string;
  /** The AWS error name, when AWS gave one (`InvalidAMIName.Duplicate`, `UnauthorizedOperation`). */
  awsCode?: string;
}

/**
 * One line of `ami create` / `ami prune` output, per AMI: the `--json`
 * object. `snapshots` are the snapshot ids tagged (create) or deleted
 * (prune; `would-…`: those that would be).
 */
export interface AmiRow {
  account: string;
  region: string;
  /** The source instance (`rolehop:source-instance`); null when unknown. */
  instance: string | null;
  /** The AMI id; null for `would-create` and for a failed CreateImage. */
  image: string | null;
  snapshots: string[];
  action: AmiAction;
  /** The AMI name. */
  name?: string;
  /** The source instance's `Name` tag. */
  instanceName?: string;
  /** The AMI's state once waited for (`--wait`). */
  state?: string;
  /** The AMI's CreationDate (prune). */
  created?: string;
  /** For `copied`: where from. */
  sourceImage?: string;
  sourceRegion?: string;
  /** For `kept`: what still uses the AMI. */
  reason?: string;
  /** For `failed`, and for a `deregistered` AMI some of whose snapshots could not be deleted. */
  error?: AmiRowError;
}

/** True for a row that counts as a failure of the run (exit 10): `failed`, or done only in part (an `error` beside another action). */
export function isFailedRow(row: AmiRow): boolean {
  return row.action === 'failed' || row.error !== undefined;
}
