import type { Command } from 'commander';
import type { CommandSpec } from '../cli-context.js';
import { SWEEP_REGIONS_HELP } from './regions-help.js';
import { addSelectionOptions, addShardOption } from './selection-options.js';

const PROFILE_HELP = 'source profile whose MFA session enters every account (default: AWS_PROFILE, then default)';
const collect = (v: string, prev: string[] = []) => [...prev, v];

/** `run`'s region, role and engine flags, and --filter, shared by `ami create` and `ami prune`. */
function sweepOptions(cmd: Command, filterHelp: string): Command {
  return addShardOption(addSelectionOptions(cmd, PROFILE_HELP))
    .option(
      '--regions <list>',
      'comma-separated regions, or "all" (the regions each account has enabled, asked with ec2:DescribeRegions); default: the profile region',
    )
    .option('--allow-new-regions', 'accept region names rolehop does not know yet')
    .option('--role <name>', 'role name or ARN to assume in each account', 'OrganizationAccountAccessRole')
    .option('--external-id <id>', 'ExternalId for AssumeRole')
    .option('-c, --concurrency <n>', 'targets (account × region) in flight at once (default 32)', (v) => Number.parseInt(v, 10))
    .option('-t, --timeout <seconds>', 'per-target timeout (default none)', (v) => Number.parseFloat(v))
    .option('--filter <filter>', filterHelp, collect);
}

export const spec: CommandSpec = (program, invoke) => {
  const ami = program
    .command('ami')
    .description('AMI backups of tagged instances in many accounts, and retention: create, prune')
    .addHelpText(
      'after',
      [
        '',
        'Every AMI and snapshot rolehop makes is tagged rolehop:created-by=rolehop,',
        'rolehop:source-instance and rolehop:run-id; prune touches nothing else.',
        '',
        ...SWEEP_REGIONS_HELP,
        '',
        'Examples:',
        '  rolehop ami create --org --regions eu-west-1,us-east-1 --filter tag:backup=daily',
        '  rolehop ami prune --org --regions eu-west-1,us-east-1 --keep 7 --older-than 7d --yes',
      ].join('\n'),
    );

  const create = ami.command('create').description('make one AMI of every running or stopped instance that matches --filter');
  sweepOptions(create, 'tag:Key=Value or tag-key:Key (repeatable; required; the same key twice: either value)')
    .option('--name-template <template>', 'AMI name: {instance} {utc} {account} {region}', '{instance}-{utc}')
    .option('--reboot', 'let EC2 reboot each instance for a file-system-consistent image (default: no reboot, crash-consistent)')
    .option('--dry-run', 'list the instances that would be imaged, change nothing')
    .option('--wait', 'wait until each AMI is available or failed')
    .option('--wait-timeout <duration>', 'how long --wait waits, e.g. 45m, 2h', '30m')
    .option('--copy-to <region>', 'copy every new AMI to this region too (implies --wait)')
    .addHelpText(
      'after',
      [
        '',
        'Without --reboot the image is crash-consistent: what applications had not yet',
        'written to disk is not in it, as after a power cut. The AMI is tagged by',
        'CreateImage; each snapshot by CreateTags once the AMI lists it (up to 2 min',
        'without --wait). --wait refreshes credentials by itself, past the one-hour',
        'limit of a chained role session.',
        '--json prints one line per AMI: account, region, instance, image, snapshots,',
        'action (created, would-create, copied, failed), name, state, error; and one per',
        'target that failed: account, region, error.',
        '',
        'Exit codes: 0 done; 10 some targets or AMIs failed; 2 bad input (a malformed',
        '--filter, an unknown region); 130 interrupted; other codes: setup failed.',
        '',
        'Examples:',
        '  rolehop ami create --org --filter tag:backup=daily --dry-run',
        '  rolehop ami create --org --regions eu-west-1 --filter tag:backup=daily --copy-to eu-central-1 --json',
        "  rolehop ami create --accounts 222222222222 --filter tag-key:Name --name-template 'nightly {instance} {utc}'",
      ].join('\n'),
    )
    .action(invoke(() => import('../commands/ami-create.js')));

  const prune = ami.command('prune').description('per source instance, keep the newest --keep AMIs rolehop made and delete the rest with their snapshots');
  sweepOptions(prune, 'only AMIs whose source instance still exists and matches (repeatable)')
    .option('--keep <n>', 'AMIs kept per source instance (required)')
    .option('--older-than <duration>', 'only delete AMIs at least this old, e.g. 30d, 12h, 2w')
    .option('--dry-run', 'show what would be deleted, change nothing')
    .option('-y, --yes', 'do not ask (needed when not on a terminal)')
    .addHelpText(
      'after',
      [
        '',
        'Never deletes an AMI without the tag rolehop:created-by=rolehop, nor one used by',
        'an instance that is not terminated, by the $Latest or $Default version of a',
        'launch template (a resolve:ssm: AMI is read from its SSM parameter) or by an',
        'Auto Scaling launch configuration. Where that use cannot be read (a parameter',
        'unreadable, launch configurations denied) it deletes nothing in the region and',
        'says why in a kept line.',
        'Each AMI is deregistered, then every one of its snapshots deleted; snapshots',
        'rolehop tagged whose AMI is gone are deleted too. On a terminal it shows the',
        'list and asks first.',
        '--json prints one line per AMI: account, region, instance, image, snapshots,',
        'action (deregistered, would-deregister, snapshots-deleted, would-delete-snapshots,',
        'kept, failed), name, created, error; and one per target that failed.',
        '',
        'Exit codes: 0 done (or nothing to do); 10 some targets or AMIs failed;',
        '2 bad input; 130 interrupted; other codes: setup failed.',
        '',
        'Examples:',
        '  rolehop ami prune --org --keep 7 --dry-run',
        '  rolehop ami prune --org --regions all --keep 3 --older-than 30d --yes --json',
      ].join('\n'),
    )
    .action(invoke(() => import('../commands/ami-prune.js')));
};
