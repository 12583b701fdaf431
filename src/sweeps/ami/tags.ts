import { randomBytes } from 'node:crypto';
import type { Tag } from '@aws-sdk/client-ec2';
import { utcStamp } from './name-template.js';

/** The tags rolehop puts on every AMI and snapshot it makes; `ami prune` touches nothing without `CREATED_BY=CREATED_BY_VALUE`. */
export const AmiTags = {
  /** The instance the AMI was made from; prune keeps N per value. */
  SOURCE_INSTANCE: 'rolehop:source-instance',
  /** One id per command run, shared by every AMI, copy and snapshot of that run. */
  RUN_ID: 'rolehop:run-id',
  /** The ownership mark. */
  CREATED_BY: 'rolehop:created-by',
  /** On snapshots only: the AMI they belong to, so prune finds snapshots whose AMI is gone. */
  IMAGE_ID: 'rolehop:image-id',
} as const;

/** The value of {@link AmiTags.CREATED_BY}. */
export const CREATED_BY_VALUE = 'rolehop';

/** A new run id: the start time and 6 random hex digits, e.g. `20261203T101500Z-3f9a1c`. */
export function newRunId(startedAt: number): string {
  return `${utcStamp(startedAt)}-${randomBytes(3).toString('hex')}`;
}

/** Tags for an AMI made from `instance` in run `runId`, with the instance's `Name` tag when it has one. */
export function backupTags(instance: { instanceId: string; name?: string | undefined }, runId: string): Tag[] {
  return [
    { Key: AmiTags.SOURCE_INSTANCE, Value: instance.instanceId },
    { Key: AmiTags.RUN_ID, Value: runId },
    { Key: AmiTags.CREATED_BY, Value: CREATED_BY_VALUE },
    ...(instance.name !== undefined ? [{ Key: 'Name', Value: instance.name }] : []),
  ];
}

/** EC2's tag list as a plain record (later duplicates win; keys without a value get ''). */
export function tagRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}
