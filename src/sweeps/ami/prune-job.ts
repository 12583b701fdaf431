// `rolehop ami prune`'s per-target job, written against the public API only
// (a JobContext and the SDK), so it doubles as an example of a job of your own.
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import {
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  EC2Client,
  paginateDescribeImages,
  paginateDescribeSnapshots,
  type Filter,
  type Image,
} from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Job, JobContext } from '../../index.js';
import { mapLimit } from '../../async/map-limit.js';
import { sleep } from '../../async/sleep.js';
import { findInstances } from './discover.js';
import { LIVE_STATES, withStates } from './filters.js';
import { imagesInUse } from './image-usage.js';
import { planRetention, type RetentionImage } from './retention.js';
import { awsName, rowError } from './row-error.js';
import type { AmiRow } from './rows.js';
import { AmiTags, CREATED_BY_VALUE, tagRecord } from './tags.js';
import { snapshotIds } from './wait-images.js';

/** Options of {@link amiPruneJob}. */
export interface AmiPruneOptions {
  /** Newest backups kept per source instance. */
  keep: number;
  /** Only delete AMIs at least this old. */
  olderThanMs?: number;
  /** The clock, ms since the epoch; default `Date.now` (tests move it). */
  now?: () => number;
  /** Only AMIs whose source instance still exists and matches these (see `parseInstanceFilters`). */
  filters?: Filter[];
  /** Only report: `would-deregister` and `would-delete-snapshots` rows, no change. */
  dryRun?: boolean;
  /** Delete at most these AMIs (the ones a person confirmed), and only if still due. */
  only?: ReadonlySet<string>;
  /** Pause before retrying a snapshot EC2 still calls in use right after its AMI went (ms, doubled each time); default 1000. */
  inUseRetryMs?: number;
  /**
   * Asks the job to stop (Ctrl-C, with the engine's `drain`): no further AMI
   * is deregistered (`not-started` rows), but one already deregistered
   * still gets its snapshots deleted.
   */
  stop?: AbortSignal;
}

/** Tries of DeleteSnapshot while EC2 still counts the AMI just deregistered as using it. */
const IN_USE_TRIES = 5;
/** AMIs one target deletes at once. */
const PER_TARGET = 4;

interface Owned extends RetentionImage {
  image: Image;
}

/**
 * A job that prunes the AMIs rolehop made in one account and region: per
 * source instance it keeps the newest `keep` and deletes the older ones
 * (older than `olderThanMs` too, when given; see `planRetention`) — never
 * an AMI without `rolehop:created-by=rolehop`, never one in use (see
 * `imagesInUse`): by an instance not terminated, by a launch template's
 * `$Latest` or `$Default` version (directly, or through the SSM parameter
 * of a `resolve:ssm:` ImageId), or by an Auto Scaling launch configuration.
 * When what uses AMIs cannot be fully read (an SSM parameter unreadable,
 * launch configurations denied), nothing in the region is deleted: every
 * AMI that was due gets a `kept` row saying why.
 * Each deletion is CreateTags marking its snapshots, DeregisterImage, then DeleteSnapshot of every snapshot
 * the AMI listed (EC2 leaves them behind otherwise). Snapshots rolehop
 * tagged whose AMI is gone (an earlier prune cut short) are deleted too.
 * Returns one row per AMI: `deregistered`/`would-deregister`,
 * `snapshots-deleted`/`would-delete-snapshots`, `kept` (due, but in use or
 * its use unknown), or `failed`. Any other failure to read the images or
 * what uses them fails the target: nothing is deleted without knowing.
 *
 * @throws RolehopError ERR_USAGE when `keep` is not a whole number ≥ 0, when the job is made.
 */
export function amiPruneJob(opts: AmiPruneOptions): Job<AmiRow[]> {
  planRetention([], { keep: opts.keep, now: 0 });
  const now = opts.now ?? Date.now;
  return async (ctx) => {
    const ec2 = ctx.client(EC2Client);
    const images = await rolehopImages(ec2, ctx.signal);
    const scope = opts.filters?.length
      ? new Set((await findInstances(ec2, withStates(opts.filters, LIVE_STATES), ctx.signal)).map((i) => i.instanceId))
      : undefined;
    const inScope = (source: string | undefined) => !scope || (source !== undefined && scope.has(source));
    const usage = await imagesInUse({ ec2, ssm: ctx.client(SSMClient), autoScaling: ctx.client(AutoScalingClient) }, ctx.signal);
    const decisions = planRetention(
      images.filter((o) => inScope(o.tags[AmiTags.SOURCE_INSTANCE])),
      { keep: opts.keep, olderThanMs: opts.olderThanMs, now: now(), inUse: usage.used },
    );
    const row = (o: Owned, action: AmiRow['action'], snapshots: string[]): AmiRow => ({
      account: ctx.account,
      region: ctx.region,
      instance: o.tags[AmiTags.SOURCE_INSTANCE] ?? null,
      image: o.imageId,
      snapshots,
      action,
      ...(o.image.Name !== undefined ? { name: o.image.Name } : {}),
      ...(o.tags.Name !== undefined ? { instanceName: o.tags.Name } : {}),
      ...(o.creationDate !== undefined ? { created: o.creationDate } : {}),
    });
    const rows: AmiRow[] = decisions.filter((d) => d.reason === 'in-use').map((d) => ({ ...row(d.image, 'kept', []), reason: `in use by ${d.usedBy}` }));
    let due = decisions
      .filter((d) => d.delete && (!opts.only || opts.only.has(d.image.imageId)))
      .map((d) => d.image)
      .sort((a, b) => Date.parse(a.creationDate!) - Date.parse(b.creationDate!));
    if (usage.unknown.length) {
      // Any of them might be the AMI behind what could not be read: fail safe, delete none here.
      const why = `usage unknown, so not deleted: ${usage.unknown.join('; ')}`;
      rows.push(...due.map((o) => ({ ...row(o, 'kept', []), reason: why })));
      due = [];
    }
    if (opts.dryRun) rows.push(...due.map((o) => row(o, 'would-deregister', snapshotIds(o.image))));
    else
      rows.push(
        ...(await mapLimit(due, PER_TARGET, (o) =>
          opts.stop?.aborted ? Promise.resolve(row(o, 'not-started', [])) : removeImage(ctx, ec2, o, row(o, 'deregistered', []), opts),
        )),
      );

    for (const [imageId, orphan] of await orphanSnapshots(ctx, ec2, images)) {
      if (!inScope(orphan.source) || (opts.only && !opts.only.has(imageId))) continue;
      const base: AmiRow = {
        account: ctx.account,
        region: ctx.region,
        instance: orphan.source ?? null,
        image: imageId,
        snapshots: [],
        action: 'snapshots-deleted',
      };
      if (opts.dryRun) rows.push({ ...base, snapshots: orphan.snapshots, action: 'would-delete-snapshots' });
      else if (opts.stop?.aborted) rows.push({ ...base, action: 'not-started' });
      else rows.push(await deleteSnapshots(ctx, ec2, orphan.snapshots, base, opts));
    }
    return rows;
  };
}

/** Every AMI of this account and region marked as rolehop's (paginated; disabled ones included). */
async function rolehopImages(ec2: EC2Client, signal: AbortSignal): Promise<Owned[]> {
  const out: Owned[] = [];
  const pages = paginateDescribeImages(
    { client: ec2 },
    { Owners: ['self'], IncludeDisabled: true, Filters: [{ Name: `tag:${AmiTags.CREATED_BY}`, Values: [CREATED_BY_VALUE] }] },
    { abortSignal: signal },
  );
  for await (const page of pages)
    for (const image of page.Images ?? [])
      if (image.ImageId)
        out.push({ image, imageId: image.ImageId, state: image.State ?? 'unknown', creationDate: image.CreationDate, tags: tagRecord(image.Tags) });
  return out;
}

/**
 * Marks the AMI's snapshots as rolehop's (with `rolehop:image-id`), then
 * DeregisterImage (an AMI already gone is fine), then its snapshots. The
 * mark comes first because a create cut short may have left them untagged:
 * a prune cut between the deregistration and the deletions then leaves
 * snapshots the next prune finds as orphans, never ones nobody can tell
 * are rolehop's. An AMI whose snapshots cannot be marked is not touched.
 */
async function removeImage(ctx: JobContext, ec2: EC2Client, o: Owned, row: AmiRow, opts: AmiPruneOptions): Promise<AmiRow> {
  const snapshots = snapshotIds(o.image);
  try {
    await markSnapshots(ctx, ec2, o, snapshots);
  } catch (e) {
    return { ...row, action: 'failed', error: rowError(e, `CreateTags on the snapshots of ${o.imageId}`) };
  }
  try {
    await ec2.send(new DeregisterImageCommand({ ImageId: o.imageId }), { abortSignal: ctx.signal });
  } catch (e) {
    if (!/^InvalidAMIID\.(Unavailable|NotFound)$/.test(awsName(e))) return { ...row, action: 'failed', error: rowError(e, `DeregisterImage ${o.imageId}`) };
  }
  return deleteSnapshots(ctx, ec2, snapshots, row, opts);
}

/** The ownership mark on `ids` (one call; one by one when some snapshot is already gone). */
async function markSnapshots(ctx: JobContext, ec2: EC2Client, o: Owned, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const source = o.tags[AmiTags.SOURCE_INSTANCE];
  const Tags = [
    { Key: AmiTags.CREATED_BY, Value: CREATED_BY_VALUE },
    { Key: AmiTags.IMAGE_ID, Value: o.imageId },
    ...(source !== undefined ? [{ Key: AmiTags.SOURCE_INSTANCE, Value: source }] : []),
  ];
  const tag = (Resources: string[]) => ec2.send(new CreateTagsCommand({ Resources, Tags }), { abortSignal: ctx.signal });
  try {
    await tag(ids);
  } catch (e) {
    if (awsName(e) !== 'InvalidSnapshot.NotFound') throw e;
    // One is gone already, with nothing left to mark: the others each on their own.
    if (ids.length > 1)
      for (const id of ids)
        await tag([id]).catch((err: unknown) => {
          if (awsName(err) !== 'InvalidSnapshot.NotFound') throw err;
        });
  }
}

/**
 * Deletes each snapshot; one already gone counts as done. EC2 may call a
 * snapshot in use for a moment after its AMI was deregistered, so that is
 * retried a few times; a snapshot another AMI uses stays in use and is
 * reported in the row's error, with the ones deleted in `snapshots`.
 */
async function deleteSnapshots(ctx: JobContext, ec2: EC2Client, ids: string[], row: AmiRow, opts: AmiPruneOptions): Promise<AmiRow> {
  const deleted: string[] = [];
  const failures: { id: string; error: ReturnType<typeof rowError> }[] = [];
  for (const id of ids) {
    for (let attempt = 1; ; attempt++) {
      try {
        await ec2.send(new DeleteSnapshotCommand({ SnapshotId: id }), { abortSignal: ctx.signal });
        deleted.push(id);
        break;
      } catch (e) {
        const name = awsName(e);
        if (name === 'InvalidSnapshot.NotFound') break;
        if (name === 'InvalidSnapshot.InUse' && attempt < IN_USE_TRIES) {
          await sleep((opts.inUseRetryMs ?? 1000) * 2 ** (attempt - 1), ctx.signal);
          continue;
        }
        failures.push({ id, error: rowError(e, `DeleteSnapshot ${id}`) });
        break;
      }
    }
  }
  if (!failures.length) return { ...row, snapshots: deleted };
  const first = failures[0]!.error;
  return {
    ...row,
    snapshots: deleted,
    error: { ...first, message: failures.map((f) => f.error.message).join('; ') },
  };
}

/**
 * Snapshots tagged as rolehop's whose AMI (tag `rolehop:image-id`) no longer
 * exists, by that AMI's id. Asked with the `owner-id` filter as well as
 * OwnerIds=self (moto ignores the latter), and an AMI missing from the
 * listing is looked up by id before its snapshots count as orphans, so an
 * AMI made while this ran keeps its snapshots.
 */
async function orphanSnapshots(ctx: JobContext, ec2: EC2Client, images: Owned[]): Promise<Map<string, { source?: string; snapshots: string[] }>> {
  const known = new Set(images.map((o) => o.imageId));
  const orphans = new Map<string, { source?: string; snapshots: string[] }>();
  const pages = paginateDescribeSnapshots(
    { client: ec2 },
    {
      OwnerIds: ['self'],
      Filters: [
        { Name: 'owner-id', Values: [ctx.account] },
        { Name: `tag:${AmiTags.CREATED_BY}`, Values: [CREATED_BY_VALUE] },
      ],
    },
    { abortSignal: ctx.signal },
  );
  for await (const page of pages)
    for (const s of page.Snapshots ?? []) {
      const tags = tagRecord(s.Tags);
      const imageId = tags[AmiTags.IMAGE_ID];
      if (!s.SnapshotId || !imageId || known.has(imageId)) continue;
      const entry = orphans.get(imageId) ?? { snapshots: [], ...(tags[AmiTags.SOURCE_INSTANCE] ? { source: tags[AmiTags.SOURCE_INSTANCE] } : {}) };
      entry.snapshots.push(s.SnapshotId);
      orphans.set(imageId, entry);
    }
  if (!orphans.size) return orphans;
  const ids = [...orphans.keys()];
  for (let i = 0; i < ids.length; i += 100) {
    const r = await ec2.send(
      new DescribeImagesCommand({ Owners: ['self'], IncludeDisabled: true, Filters: [{ Name: 'image-id', Values: ids.slice(i, i + 100) }] }),
      {
        abortSignal: ctx.signal,
      },
    );
    for (const image of r.Images ?? []) if (image.ImageId && image.State !== 'deregistered') orphans.delete(image.ImageId);
  }
  return orphans;
}
