import { ErrorCodes, RolehopError } from '../../index.js';
import { AmiTags, CREATED_BY_VALUE } from './tags.js';

/** What retention needs to know of an AMI. */
export interface RetentionImage {
  imageId: string;
  /** EC2's `State`: `available`, `pending`, `failed`, … */
  state: string;
  /** EC2's `CreationDate` (ISO 8601); unparsable or missing ones are never deleted. */
  creationDate?: string | undefined;
  tags: Readonly<Record<string, string>>;
}

/** The rules: keep the newest `keep` per source instance, delete the rest that are older than `olderThanMs`. */
export interface RetentionPolicy {
  /** Backups kept per source instance (whole number ≥ 0). */
  keep: number;
  /** Only delete images at least this old; none by default. */
  olderThanMs?: number | undefined;
  /** The clock, ms since the epoch (injected so tests can move time). */
  now: number;
  /** Images something still uses (an instance, a launch template), with what: never deleted. */
  inUse?: ReadonlyMap<string, string>;
}

/** Why an image is kept or deleted. */
export type RetentionReason =
  /** Not marked `rolehop:created-by=rolehop`, or no source instance: not rolehop's to delete. */
  | 'not-rolehop'
  /** Among the newest `keep` of its source instance. */
  | 'within-keep'
  /** Younger than `olderThanMs`. */
  | 'too-recent'
  /** Used by an instance or a launch template. */
  | 'in-use'
  /** Pending or in another passing state, or with no creation date: decided on a later run. */
  | 'unsettled'
  /** Beyond `keep`: deleted. */
  | 'beyond-keep'
  /** Its creation failed: not a backup, so it takes no `keep` slot; deleted. */
  | 'failed-image';

/** The verdict on one image. */
export interface RetentionDecision<I extends RetentionImage> {
  image: I;
  delete: boolean;
  reason: RetentionReason;
  /** For `in-use`: what uses it. */
  usedBy?: string;
}

/** States of an image that is a usable backup (a disabled AMI can be re-enabled). */
const BACKUP_STATES = new Set(['available', 'disabled']);
/** States of an image whose creation failed. */
const BROKEN_STATES = new Set(['failed', 'error', 'invalid']);

/**
 * Decides, without any I/O, which of `images` to delete: per source
 * instance (tag `rolehop:source-instance`), only images marked
 * `rolehop:created-by=rolehop`, the newest `policy.keep` backups kept, the
 * older ones deleted unless younger than `olderThanMs` or in use. Failed
 * images take no keep slot and go by the same age and use rules; pending
 * ones and those without a readable creation date are left for a later
 * run. Returns one decision per image, in input order; equal creation
 * dates are ordered by image id so the outcome never depends on input order.
 *
 * @throws RolehopError ERR_USAGE when `keep` is not a whole number ≥ 0.
 */
export function planRetention<I extends RetentionImage>(images: readonly I[], policy: RetentionPolicy): RetentionDecision<I>[] {
  if (!Number.isSafeInteger(policy.keep) || policy.keep < 0)
    throw new RolehopError(ErrorCodes.USAGE, `--keep must be a whole number ≥ 0, not ${policy.keep}`, { hint: 'For example --keep 7.' });
  const decisions = new Map<I, RetentionDecision<I>>();
  const groups = new Map<string, { image: I; at: number }[]>();
  for (const image of images) {
    const source = image.tags[AmiTags.SOURCE_INSTANCE];
    if (image.tags[AmiTags.CREATED_BY] !== CREATED_BY_VALUE || !source) {
      decisions.set(image, { image, delete: false, reason: 'not-rolehop' });
      continue;
    }
    const at = image.creationDate ? Date.parse(image.creationDate) : Number.NaN;
    if (Number.isNaN(at) || !(BACKUP_STATES.has(image.state) || BROKEN_STATES.has(image.state))) {
      decisions.set(image, { image, delete: false, reason: 'unsettled' });
      continue;
    }
    const group = groups.get(source) ?? [];
    group.push({ image, at });
    groups.set(source, group);
  }
  const removable = (image: I, at: number, reason: RetentionReason): RetentionDecision<I> => {
    if (policy.olderThanMs !== undefined && policy.now - at < policy.olderThanMs) return { image, delete: false, reason: 'too-recent' };
    const usedBy = policy.inUse?.get(image.imageId);
    if (usedBy !== undefined) return { image, delete: false, reason: 'in-use', usedBy };
    return { image, delete: true, reason };
  };
  for (const group of groups.values()) {
    group.sort((a, b) => b.at - a.at || (a.image.imageId < b.image.imageId ? -1 : a.image.imageId > b.image.imageId ? 1 : 0));
    let kept = 0;
    for (const { image, at } of group) {
      if (BROKEN_STATES.has(image.state)) decisions.set(image, removable(image, at, 'failed-image'));
      else if (kept < policy.keep) {
        kept++;
        decisions.set(image, { image, delete: false, reason: 'within-keep' });
      } else decisions.set(image, removable(image, at, 'beyond-keep'));
    }
  }
  return images.map((image) => decisions.get(image)!);
}

/** The images {@link planRetention} deletes, oldest first. */
export function imagesToDelete<I extends RetentionImage>(images: readonly I[], policy: RetentionPolicy): I[] {
  return planRetention(images, policy)
    .filter((d) => d.delete)
    .map((d) => d.image)
    .sort((a, b) => Date.parse(a.creationDate!) - Date.parse(b.creationDate!));
}
