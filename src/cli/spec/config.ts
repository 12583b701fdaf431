import type { CommandSpec } from '../cli-context.js';
import { addSelectionOptions } from './selection-options.js';

const PROFILE_HELP = 'profile whose MFA session reads the selection; also the default --source-profile (default: AWS_PROFILE, then default)';

export const spec: CommandSpec = (program, invoke) => {
  const config = program
    .command('config')
    .description('write AWS config profiles for the roles of a bundle (generate)')
    .addHelpText(
      'after',
      [
        '',
        'One [profile NAME] per selected account and bundle role, each chained from your',
        'profile (role_arn + source_profile), so `rolehop exec acct-prod-RolehopAdministrator`',
        'and `aws --profile ...` work in every account without writing them by hand.',
        '',
        'Examples:',
        '  rolehop config generate rolehop-roles.yaml --org',
        '  rolehop config generate rolehop-roles.yaml --org --write',
      ].join('\n'),
    );

  const generate = config
    .command('generate')
    .description('print (or, with --write, merge into the AWS config file) one profile per account and bundle role')
    .argument('<file>', 'bundle file');
  addSelectionOptions(generate, PROFILE_HELP)
    .option('--write', 'merge the profiles into the AWS config file instead of printing them')
    .option('--template <template>', 'profile name: {account}, {account_name} (the id when unnamed), {role} (default: {account_name}-{role})')
    .option('--source-profile <name>', 'profile the generated profiles chain from (default: --profile)')
    .option('--config-file <path>', 'file --write merges into (default: AWS_CONFIG_FILE, then ~/.aws/config)')
    .addHelpText(
      'after',
      [
        '',
        'The profiles sit between two marker comments naming the bundle; a rerun replaces',
        'that block in place and leaves the rest of the file byte for byte. A section of',
        'yours with the same name wins: that profile is left out of the block. Names keep',
        'only characters profile names allow (others become -); when two accounts give the',
        "same name, the later one gets -<account id>. region is the source profile's.",
        '--json prints the profiles (name, account, accountName, role, roleArn; with',
        '--write also written: false for a profile kept as your own).',
        '',
        'Examples:',
        '  rolehop config generate rolehop-roles.yaml --org',
        '  rolehop config generate rolehop-roles.yaml --org --write',
        "  rolehop config generate rolehop-roles.yaml --accounts-file accts.txt --template '{account_name}.{role}' --write",
        '  rolehop config generate rolehop-roles.yaml --org --profile mgmt --source-profile me --config-file ./aws-config --write',
      ].join('\n'),
    )
    .action(invoke(() => import('../commands/config-generate.js')));
};
