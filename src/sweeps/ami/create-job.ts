// `rolehop ami create`'s per-target job, written against the public API only
// (a JobContext and the SDK), so it doubles as an example of a job of your own.
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  EC2Client,
  type Filter,
  type Image,
  type Tag,
} from '@aws-sdk/client-ec2';
import { ErrorCodes, type Job, type JobContext } from '../../index.js';
import { mapLimit } from '../../async/map-limit.js';
import { sleep } from '../../async/sleep.js';
import { findInstances, type InstanceInfo } from './discover.js';
import { IMAGEABLE_STATES, withStates } from './filters.js';
import { checkNameTemplate, DEFAULT_NAME_TEMPLATE, renderImageName, utcStamp } from './name-template.js';
import { awsName, rowError } from './row-error.js';
import type { AmiRow } from './rows.js';
import { AmiTags, backupTags, tagRecord } from './tags.js';
import { isSettled, pollImages, snapshotIds, snapshotsKnown, type PollOptions } from './wait-images.js';

/** `--wait-timeout`'s default: 30 minutes. */
export const DEFAULT_WAIT_TIMEOUT_MS = 30 * 60_000;
/** Without `--wait`: how long to look for the snapshot ids of a pending AMI, so they can be tagged. */
export const SNAPSHOT_GRACE_MS = 120_000;
/** AMIs one target makes at once. */
const PER_TARGET = 4;

/** Options of {@link amiCreateJob}. */
export interface AmiCreateOptions {
  /** Instance filters (see `parseInstanceFilters`); `instance-state-name` running/stopped is added. Empty: every such instance. */
  filters: Filter[];
  /** One id for the whole run (see `newRunId`): tagged on everything it makes. */
  runId: string;
  /** The run's start, ms since the epoch: `{utc}` in names. */
  startedAt: number;
  /** Default `{instance}-{utc}`; also `{account}`, `{region}`. Checked when the job is made. */
  nameTemplate?: string;
  /**
   * Let EC2 reboot the instance for a file-system-consistent image. Default
   * false: NoReboot, so the image is crash-consistent (like pulling the plug:
   * what the applications had not flushed to disk is not in it).
   */
  reboot?: boolean;
  /** Only discover: one `would-create` row per instance, no change. */
  dryRun?: boolean;
  /** Wait until each AMI is `available` or failed. Implied by `copyTo`. */
  wait?: boolean;
  /** Default {@link DEFAULT_WAIT_TIMEOUT_MS}; for the copies it starts again. */
  waitTimeoutMs?: number;
  /** Copy every new AMI to this region (CopyImage is called there), tagged the same way. */
  copyTo?: string;
  /** Poll pacing and clock, for tests. */
  poll?: Pick<PollOptions, 'firstDelayMs' | 'maxDelayMs' | 'now' | 'sleep'>;
  /**
   * Asks the job to stop (Ctrl-C, with the engine's `drain`): no further
   * CreateImage or CopyImage is started (`not-started` rows), the wait for
   * `available` ends, and the AMIs already asked for still get their
   * snapshots tagged once EC2 lists them.
   */
  stop?: AbortSignal;
}

/** An AMI this target asked for, before its snapshots are known. */
interface Made {
  instance: InstanceInfo;
  name: string;
  imageId?: string;
  error?: AmiRow['error'];
  /** Not asked for: the job was stopped first. */
  notStarted?: boolean;
}

/**
 * A job that makes one AMI per instance matching `filters` that is running
 * or stopped (paginated discovery), named by the template, tagged (on the
 * AMI by CreateImage itself, on each snapshot by CreateTags once the AMI
 * lists it) with `rolehop:source-instance`, `rolehop:run-id`,
 * `rolehop:created-by=rolehop`, the instance's `Name`, and on snapshots
 * `rolehop:image-id`. Returns one row per AMI (`created`, `copied`,
 * `would-create` or `failed`): one AMI's failure does not stop the others;
 * a failure to list the instances fails the target. When the engine runs
 * the job again after such a failure (`ctx.attempt > 1`), AMIs this run
 * already made are reused, not made twice.
 *
 * @throws RolehopError ERR_USAGE from the name template, when the job is made.
 */
export function amiCreateJob(opts: AmiCreateOptions): Job<AmiRow[]> {
  const template = opts.nameTemplate ?? DEFAULT_NAME_TEMPLATE;
  checkNameTemplate(template);
  const wait = opts.wait || opts.copyTo !== undefined;
  const waitTimeoutMs = opts.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  return async (ctx) => {
    const ec2 = ctx.client(EC2Client);
    const instances = await findInstances(ec2, withStates(opts.filters, IMAGEABLE_STATES), ctx.signal);
    const utc = utcStamp(opts.startedAt);
    const nameOf = (i: InstanceInfo) => renderImageName(template, { instance: i.instanceId, utc, account: ctx.account, region: ctx.region });
    const base = (i: InstanceInfo) => ({
      account: ctx.account,
      region: ctx.region,
      instance: i.instanceId,
      ...(i.name !== undefined ? { instanceName: i.name } : {}),
    });
    if (opts.dryRun) return instances.map((i) => ({ ...base(i), image: null, snapshots: [], action: 'would-create' as const, name: nameOf(i) }));

    const earlier = ctx.attempt > 1 ? await imagesOfRun(ec2, opts.runId, ctx.signal) : new Map<string, Image>();
    const made = await mapLimit(instances, PER_TARGET, (i) =>
      opts.stop?.aborted ? Promise.resolve({ instance: i, name: nameOf(i), notStarted: true }) : createImage(ctx, ec2, opts, i, nameOf(i), earlier),
    );
    const ids = made.flatMap((m) => (m.imageId ? [m.imageId] : []));
    // `ec2` came from ctx.client: the engine refreshes its credentials before they
    // expire, so a --wait longer than a chained role session's one hour goes on working.
    const polled = await pollImages(ec2, ids, untilStopped(opts.stop, wait ? isSettled : snapshotsKnown), {
      ...opts.poll,
      ...wakeOnStop(opts),
      timeoutMs: wait ? waitTimeoutMs : SNAPSHOT_GRACE_MS,
      signal: ctx.signal,
    });
    const rows: AmiRow[] = [];
    const available: { row: AmiRow; tags: Tag[] }[] = [];
    for (const m of made) {
      const row: AmiRow = { ...base(m.instance), image: m.imageId ?? null, snapshots: [], action: 'created', name: m.name };
      rows.push(row);
      if (m.notStarted) {
        row.action = 'not-started';
        continue;
      }
      if (!m.imageId) {
        Object.assign(row, { action: 'failed', error: m.error });
        continue;
      }
      const image = polled.images.get(m.imageId);
      if (image?.State) row.state = image.State;
      const tags = backupTags(m.instance, opts.runId);
      // Tag what is known even when the wait ran out: a snapshot of a rolehop AMI should say so.
      const snapshots = snapshotIds(image);
      if (snapshots.length) {
        try {
          await ec2.send(new CreateTagsCommand({ Resources: snapshots, Tags: [...tags, { Key: AmiTags.IMAGE_ID, Value: m.imageId }] }), {
            abortSignal: ctx.signal,
          });
          row.snapshots = snapshots;
        } catch (e) {
          Object.assign(row, { action: 'failed', error: rowError(e, `CreateTags on the snapshots of ${m.imageId}`) });
          continue;
        }
      }
      if (!polled.done.has(m.imageId)) {
        const minutes = Math.round((wait ? waitTimeoutMs : SNAPSHOT_GRACE_MS) / 60_000);
        Object.assign(row, {
          action: 'failed',
          error: {
            code: ErrorCodes.TIMEOUT,
            message: wait
              ? `${m.imageId} was still ${image?.State ?? 'not listed'} after ${minutes} min; it may still become available`
              : `${m.imageId} listed no snapshot ids within ${minutes} min, so its snapshots are not tagged`,
          },
        });
      } else if (image && isSettled(image) && image.State !== 'available') {
        Object.assign(row, {
          action: 'failed',
          error: { code: ErrorCodes.AWS_OTHER, message: `${m.imageId} ended ${image.State}: ${image.StateReason?.Message ?? 'no reason given'}` },
        });
      } else if (image?.State === 'available') available.push({ row, tags });
    }
    if (opts.copyTo && opts.copyTo !== ctx.region && available.length) rows.push(...(await copyImages(ctx, opts, available, waitTimeoutMs)));
    return rows;
  };
}

/** `until`, or once `stop` has aborted only until the snapshot ids are known (they are tagged, then the job ends). */
function untilStopped(stop: AbortSignal | undefined, until: (image: Image) => boolean): (image: Image) => boolean {
  return (image) => (stop?.aborted ? snapshotsKnown(image) : until(image));
}

/** A poll pause that `stop` ends early (the next poll then applies {@link untilStopped}); the job's own signal still rejects it. */
function wakeOnStop(opts: AmiCreateOptions): Pick<PollOptions, 'sleep'> {
  const stop = opts.stop;
  if (!stop) return {};
  const base = opts.poll?.sleep ?? sleep;
  return {
    sleep: (ms, signal) =>
      base(ms, signal ? AbortSignal.any([signal, stop]) : stop).catch((e: unknown) => {
        if (signal?.aborted || !stop.aborted) throw e;
      }),
  };
}

/** CreateImage for one instance; an AMI this run already made (a re-run, or a retried call that had worked) is reused. */
async function createImage(
  ctx: JobContext,
  ec2: EC2Client,
  opts: AmiCreateOptions,
  instance: InstanceInfo,
  name: string,
  earlier: Map<string, Image>,
): Promise<Made> {
  const before = earlier.get(instance.instanceId)?.ImageId;
  if (before) return { instance, name, imageId: before };
  try {
    const r = await ec2.send(
      new CreateImageCommand({
        InstanceId: instance.instanceId,
        Name: name,
        Description: `rolehop backup of ${instance.instanceId}, run ${opts.runId}`,
        NoReboot: !opts.reboot,
        // The snapshots are tagged afterwards with CreateTags: moto answers a snapshot TagSpecification here with HTTP 500.
        TagSpecifications: [{ ResourceType: 'image', Tags: backupTags(instance, opts.runId) }],
      }),
      { abortSignal: ctx.signal },
    );
    if (r.ImageId) return { instance, name, imageId: r.ImageId };
    return { instance, name, error: { code: ErrorCodes.AWS_OTHER, message: `CreateImage ${instance.instanceId} returned no ImageId` } };
  } catch (e) {
    // A retried CreateImage that had worked the first time finds its own name taken.
    if (awsName(e) === 'InvalidAMIName.Duplicate') {
      const mine = await imagesOfRun(ec2, opts.runId, ctx.signal, [{ Name: 'name', Values: [name] }]).catch(() => undefined);
      const id = mine?.get(instance.instanceId)?.ImageId;
      if (id) return { instance, name, imageId: id };
    }
    return { instance, name, error: rowError(e, `CreateImage ${instance.instanceId}`) };
  }
}

/** This account's AMIs (in `ec2`'s region) tagged with `runId`, by source instance. */
async function imagesOfRun(ec2: EC2Client, runId: string, signal: AbortSignal, extra: Filter[] = []): Promise<Map<string, Image>> {
  const r = await ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: `tag:${AmiTags.RUN_ID}`, Values: [runId] }, ...extra] }), {
    abortSignal: signal,
  });
  const out = new Map<string, Image>();
  for (const image of r.Images ?? []) {
    const source = tagRecord(image.Tags)[AmiTags.SOURCE_INSTANCE];
    if (source && image.ImageId) out.set(source, image);
  }
  return out;
}

/**
 * Copies each available AMI to `opts.copyTo` with CopyImage called in that
 * region (the way AWS requires), with the backup tags on the copy and its
 * snapshots in CopyImage itself; tags the copy again at once and its
 * snapshots (with `rolehop:image-id`) once it settles, for endpoints that
 * ignore CopyImage's tags.
 */
async function copyImages(ctx: JobContext, opts: AmiCreateOptions, sources: { row: AmiRow; tags: Tag[] }[], waitTimeoutMs: number): Promise<AmiRow[]> {
  const dest = opts.copyTo!;
  const ec2 = ctx.client(EC2Client, { region: dest });
  const earlier = ctx.attempt > 1 ? await imagesOfRun(ec2, opts.runId, ctx.signal) : new Map<string, Image>();
  const copies = await mapLimit(sources, PER_TARGET, async ({ row, tags }): Promise<AmiRow> => {
    const copy: AmiRow = { ...row, region: dest, image: null, snapshots: [], action: 'copied', sourceImage: row.image!, sourceRegion: ctx.region };
    delete copy.state;
    if (opts.stop?.aborted) return { ...copy, action: 'not-started' };
    try {
      let id = earlier.get(row.instance!)?.ImageId;
      if (!id) {
        const r = await ec2.send(
          new CopyImageCommand({
            SourceImageId: row.image!,
            SourceRegion: ctx.region,
            Name: row.name!,
            Description: `rolehop copy of ${row.image} from ${ctx.region}`,
            // Owned from its first moment, so no cut before the CreateTags below leaves a copy rolehop cannot
            // prove is its own. moto ignores these; the CreateTags stays for it (and costs EC2 nothing).
            TagSpecifications: [
              { ResourceType: 'image', Tags: tags },
              { ResourceType: 'snapshot', Tags: tags },
            ],
          }),
          { abortSignal: ctx.signal },
        );
        id = r.ImageId;
      }
      if (!id) return { ...copy, action: 'failed', error: { code: ErrorCodes.AWS_OTHER, message: `CopyImage of ${row.image} returned no ImageId` } };
      copy.image = id;
      await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: tags }), { abortSignal: ctx.signal });
      return copy;
    } catch (e) {
      return { ...copy, action: 'failed', error: rowError(e, `${copy.image ? 'CreateTags on' : 'CopyImage of'} ${copy.image ?? row.image} in ${dest}`) };
    }
  });
  const ids = copies.flatMap((c) => (c.action === 'copied' && c.image ? [c.image] : []));
  const polled = await pollImages(ec2, ids, untilStopped(opts.stop, isSettled), {
    ...opts.poll,
    ...wakeOnStop(opts),
    timeoutMs: waitTimeoutMs,
    signal: ctx.signal,
  });
  for (const [k, copy] of copies.entries()) {
    if (copy.action !== 'copied' || !copy.image) continue;
    const image = polled.images.get(copy.image);
    if (image?.State) copy.state = image.State;
    const snapshots = snapshotIds(image);
    try {
      if (snapshots.length)
        await ec2.send(new CreateTagsCommand({ Resources: snapshots, Tags: [...sources[k]!.tags, { Key: AmiTags.IMAGE_ID, Value: copy.image }] }), {
          abortSignal: ctx.signal,
        });
      copy.snapshots = snapshots;
    } catch (e) {
      Object.assign(copy, { action: 'failed', error: rowError(e, `CreateTags on the snapshots of ${copy.image} in ${dest}`) });
      continue;
    }
    if (!polled.done.has(copy.image))
      Object.assign(copy, {
        action: 'failed',
        error: {
          code: ErrorCodes.TIMEOUT,
          message: `${copy.image} in ${dest} was still ${image?.State ?? 'not listed'} after ${Math.round(waitTimeoutMs / 60_000)} min`,
        },
      });
    else if (image && isSettled(image) && image.State !== 'available')
      Object.assign(copy, {
        action: 'failed',
        error: { code: ErrorCodes.AWS_OTHER, message: `${copy.image} in ${dest} ended ${image?.State}: ${image?.StateReason?.Message ?? 'no reason given'}` },
      });
  }
  return copies;
}
