/**
 * The `--help` paragraph of the regional sweeps (`certs`, `ami create`,
 * `ami prune`) on what `--regions all` and a listed opt-in region do: one
 * line per array item, for an `addHelpText('after', …)` list.
 */
export const SWEEP_REGIONS_HELP: readonly string[] = [
  '--regions all asks each account (ec2:DescribeRegions, with its role, in the profile region)',
  'which regions it has enabled; where it cannot, the 17 regions every account has are used',
  'and a warning says so. A listed opt-in region an account has not enabled is a failed',
  'target there (ERR_REGION_NOT_ENABLED, exit 10), never swept.',
];
