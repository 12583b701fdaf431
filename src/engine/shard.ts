import { ErrorCodes, RolehopError } from '../errors.js';

/** One shard of a sweep: `index` in 1..`count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `--shard i/n` (1-based: `1/3`, `2/3`, `3/3`, as CI matrices count). */
export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new RolehopError(ErrorCodes.USAGE, `Invalid shard "${spec}"`, { hint: 'Use --shard i/n with 1 <= i <= n, e.g. --shard 2/4.' });
  }
  return { index, count };
}

/** 32-bit FNV-1a: small, stable across Node versions and platforms. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Whether `account` belongs to `shard`. Hashing the account id (not the
 * position in a list) keeps the split stable when the selection changes, and
 * keeps every region of an account in one shard, so each shard assumes into
 * an account at most once.
 */
export function inShard(account: string, shard: Shard | undefined): boolean {
  if (!shard || shard.count === 1) return true;
  return fnv1a(account) % shard.count === shard.index - 1;
}
