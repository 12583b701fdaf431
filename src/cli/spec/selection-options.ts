import type { Command } from 'commander';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Registers the account selection flags (`run`'s) on a command; parsed by `cli/account-selection.ts`. */
export function addSelectionOptions(cmd: Command, profileHelp: string): Command {
  return cmd
    .option('-p, --profile <name>', profileHelp)
    .option('--accounts <ids>', 'comma-separated account ids')
    .option('--accounts-file <file>', 'file with one account id per line (optional name after it, # comments)')
    .option('--org', 'all ACTIVE accounts of the AWS Organization (needs the management or a delegated-admin account)')
    .option('--ou <id>', 'only accounts under this OU or root, recursively (repeatable)', collect)
    .option('--tag <key=value>', 'only accounts with this Organizations tag (repeatable; all must match)', collect)
    .option('--name <glob>', 'only accounts whose name matches (*, ?; case-insensitive)')
    .option('--exclude <ids>', 'comma-separated account ids to leave out')
    .option('--refresh-org', 'ignore the cached Organizations inventory');
}

/** `--shard i/n`, as `run` has it: for a sweep split across a CI matrix (`cli/sweep-run.ts` passes it to the engine). */
export function addShardOption(cmd: Command): Command {
  return cmd.option('--shard <i/n>', 'only shard i of n (1-based; by hash of account id) for CI matrices; merge the --json outputs with cat');
}
