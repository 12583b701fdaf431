import { ErrorCodes, RolehopError } from '../errors.js';

/**
 * What `--regions all` means: the 17 commercial regions that are enabled by
 * default in every account (no opt-in needed). A fixed list instead of EC2
 * DescribeRegions because DescribeRegions costs an extra call and an EC2
 * permission per account, and its answer differs per account (opt-in
 * regions), which would make `all` non-deterministic across a sweep and across
 * `--shard` runs. Opt-in regions (af-south-1, ap-east-1, me-south-1, ...) are
 * named explicitly instead.
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

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

/**
 * Parses `--regions r1,r2|all`. Empty or undefined falls back to `fallback`
 * (the profile's region), then us-east-1. Duplicates are dropped, order kept.
 */
export function parseRegions(spec: string | undefined, fallback?: string): string[] {
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
    else if (REGION.test(part)) out.push(part);
    else throw new RolehopError(ErrorCodes.USAGE, `"${part}" is not a region name`, { hint: 'Use names such as us-east-1,eu-west-1, or "all".' });
  }
  return [...new Set(out)];
}
