import { DescribeImagesCommand, type EC2Client, type Image } from '@aws-sdk/client-ec2';
import { sleep as abortable } from '../../async/sleep.js';

/** Options of {@link pollImages}. */
export interface PollOptions {
  /** Give up after this long; the images not done yet are left out of the result's `done`. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** First pause between polls; doubled up to `maxDelayMs`. Default 2 s. */
  firstDelayMs?: number;
  /** Longest pause. Default 30 s. */
  maxDelayMs?: number;
  /** Clock and sleep, injectable for tests. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The last description seen of each image, and which of them met the condition. */
export interface PollResult {
  images: Map<string, Image>;
  done: Set<string>;
}

/** Images per DescribeImages call; EC2 accepts far more filter values, this keeps requests small. */
const BATCH = 100;

/** An image that reached `available` or a failed state: waiting for it is over. */
export function isSettled(image: Image): boolean {
  return image.State !== 'pending' && image.State !== 'transient';
}

/** An image whose EBS mappings all name their snapshot (pending images may not yet). */
export function snapshotsKnown(image: Image): boolean {
  return isSettled(image) || (image.BlockDeviceMappings ?? []).every((m) => !m.Ebs || !!m.Ebs.SnapshotId);
}

/** The snapshot ids of an image's EBS mappings. */
export function snapshotIds(image: Image | undefined): string[] {
  return (image?.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
}

/**
 * Describes `ids` until each meets `until` (e.g. {@link isSettled}) or the
 * timeout passes, pausing 2 s, 4 s, … up to 30 s between polls. It asks by
 * an `image-id` filter, not ImageIds, so an image EC2 does not list yet
 * (eventual consistency right after CreateImage) is one still to wait for
 * instead of an InvalidAMIID.NotFound for the whole call.
 *
 * Give it a client from the job's `ctx.client`: the engine's credentials
 * refresh by themselves before they expire, so a wait longer than the one
 * hour a chained role session lasts keeps working.
 */
export async function pollImages(ec2: EC2Client, ids: readonly string[], until: (image: Image) => boolean, opts: PollOptions): Promise<PollResult> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? abortable;
  const deadline = now() + opts.timeoutMs;
  const want = [...new Set(ids)];
  const images = new Map<string, Image>();
  const done = new Set<string>();
  let delay = opts.firstDelayMs ?? 2000;
  for (;;) {
    const waiting = want.filter((id) => !done.has(id));
    for (let i = 0; i < waiting.length; i += BATCH) {
      const r = await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'image-id', Values: waiting.slice(i, i + BATCH) }] }), {
        abortSignal: opts.signal,
      });
      for (const image of r.Images ?? []) {
        if (!image.ImageId) continue;
        images.set(image.ImageId, image);
        if (until(image)) done.add(image.ImageId);
      }
    }
    const left = deadline - now();
    if (done.size === want.length || left <= 0) return { images, done };
    await sleep(Math.min(delay, left), opts.signal);
    delay = Math.min(delay * 2, opts.maxDelayMs ?? 30_000);
  }
}
