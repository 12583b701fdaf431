import { closeNames } from '../config/close-names.js';
import { ErrorCodes, RolehopError } from '../errors.js';

/**
 * The 17 commercial regions enabled by default in every account (no opt-in
 * needed). `run --regions all` asks each account for its enabled regions
 * instead (see enabled-regions.ts) and falls back to this list when it
 * cannot; a listed region outside it is checked against the account the
 * same way, and so do the regional sweeps (`certs`, `ami`). `parseRegions`
 * (`--copy-to`) takes `all` as this list; the run preview says "each
 * account's enabled regions" instead.
 */
export const DEFAULT_ENABLED_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];

/**
 * Every region rolehop knows: commercial (with the opt-in ones), GovCloud,
 * China and the isolated partitions. A name outside it is refused unless
 * the caller allows new regions, so a typo never becomes a silent target.
 */
export const KNOWN_REGIONS: ReadonlySet<string> = new Set([
  ...DEFAULT_ENABLED_REGIONS,
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'us-gov-east-1',
  'us-gov-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'us-iso-east-1',
  'us-iso-west-1',
  'us-isob-east-1',
  'us-isof-east-1',
  'us-isof-south-1',
  'eu-isoe-west-1',
]);

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

/**
 * Parses `--regions r1,r2|all`. Empty or undefined falls back to `fallback`
 * (the profile's region, held to the region-name shape only), then
 * us-east-1. Each listed name must be in {@link KNOWN_REGIONS}, or only of
 * the region-name shape when `allowNew` (a region AWS added after this
 * release). Duplicates are dropped, order kept. Throws ERR_USAGE with a
 * "did you mean" hint.
 */
export function parseRegions(spec: string | undefined, fallback?: string, opts: { allowNew?: boolean } = {}): string[] {
  const raw = spec?.trim();
  if (!raw) {
    // The profile's region names result files (--output-dir), so it is held to the same rule as --regions.
    if (fallback !== undefined && !REGION.test(fallback)) {
      throw new RolehopError(ErrorCodes.USAGE, `The profile's region "${fallback}" is not a region name`, {
        hint: 'Fix `region` in the AWS config, or pass --regions such as us-east-1,eu-west-1.',
      });
    }
    return [fallback ?? 'us-east-1'];
  }
  const out: string[] = [];
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (part === 'all') out.push(...DEFAULT_ENABLED_REGIONS);
    else if (KNOWN_REGIONS.has(part) || (opts.allowNew && REGION.test(part))) out.push(part);
    else throw unknownRegion(part, REGION.test(part));
  }
  return [...new Set(out)];
}

/** `--regions` parsed for a command that asks each account: whether `all` was given, and the names given besides it (the fallback when neither). */
export interface RegionChoice {
  all: boolean;
  listed: string[];
}

/**
 * Parses `--regions` like {@link parseRegions}, but keeps `all` apart
 * instead of expanding it to {@link DEFAULT_ENABLED_REGIONS}: the caller
 * asks each account which regions it has enabled. With `all` alone,
 * `listed` is empty (no fallback).
 */
export function parseRegionChoice(spec: string | undefined, fallback?: string, opts: { allowNew?: boolean } = {}): RegionChoice {
  const parts = (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const all = parts.includes('all');
  const rest = parts.filter((p) => p !== 'all');
  if (all && rest.length === 0) return { all, listed: [] };
  return { all, listed: parseRegions(rest.join(','), fallback, opts) };
}

function unknownRegion(name: string, shaped: boolean): RolehopError {
  const near = closeNames(name, KNOWN_REGIONS, 1);
  const hint = near.length
    ? `Did you mean ${near[0]}?`
    : shaped
      ? 'If it is a region AWS added after this release of rolehop, pass --allow-new-regions.'
      : 'Use names such as us-east-1,eu-west-1, or "all".';
  return new RolehopError(ErrorCodes.USAGE, `"${name}" is not a ${shaped ? 'known ' : ''}region name`, { hint, details: { suggestions: near } });
}
