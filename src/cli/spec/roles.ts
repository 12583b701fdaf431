import type { CommandSpec } from '../cli-context.js';
import { addSelectionOptions } from './selection-options.js';

const PROFILE_HELP = 'source profile whose MFA session enters every account (default: AWS_PROFILE, then default)';
const int = (v: string) => Number.parseInt(v, 10);

export const spec: CommandSpec = (program, invoke) => {
  const roles = program
    .command('roles')
    .description('keep the same cross-account roles in every account: init, plan, apply, prune (role bundles)')
    .addHelpText(
      'after',
      [
        '',
        'A bundle file (YAML) names the roles every selected account gets, whom they trust',
        '(the identity account, with MFA) and their policies. rolehop owns only roles with',
        'its path and the tag rolehop:bundle=<bundle name>; anything else is left alone.',
        '',
        'Examples:',
        '  rolehop roles init --identity-account 111111111111',
        '  rolehop roles plan rolehop-roles.yaml --org --out plan.json',
        '  rolehop roles apply rolehop-roles.yaml --org --plan plan.json',
        '  rolehop roles prune rolehop-roles.yaml --org',
      ].join('\n'),
    );

  roles
    .command('init')
    .description('write a commented bundle for three tiers: administrator, operator, spectator')
    .argument('[file]', 'where to write it', 'rolehop-roles.yaml')
    .option('--identity-account <id>', 'the account whose users assume the roles (default: the account of --profile)')
    .option('-p, --profile <name>', 'profile whose account is the identity account (default: AWS_PROFILE, then default)')
    .option('--force', 'overwrite an existing file')
    .addHelpText('after', '\nExamples:\n  rolehop roles init\n  rolehop roles init roles/prod.yaml --identity-account 111111111111')
    .action(invoke(() => import('../commands/roles-init.js')));

  const plan = roles
    .command('plan')
    .description('show what apply would change in each account (drift detection: exit 11 when anything differs)')
    .argument('<file>', 'bundle file');
  addSelectionOptions(plan, PROFILE_HELP)
    .option('--role <name>', 'role rolehop enters each account through (never changed by the run)', 'OrganizationAccountAccessRole')
    .option('--out <plan.json>', 'save the plan for `roles apply --plan`')
    .option('--adopt', 'plan to take over same-named roles that have no rolehop tag')
    .option('-c, --concurrency <n>', 'accounts in flight at once (default 32)', int)
    .addHelpText(
      'after',
      [
        '',
        '--json prints one line per account and role: account, accountName, role, action',
        '(create, update, noop, conflict, unreachable, prune), changes, reason.',
        'Exit codes: 0 nothing would change; 11 something would (drift); 10 some accounts',
        'could not be read; other codes: setup failed (see `rolehop --help`).',
        '',
        'Examples:',
        '  rolehop roles plan rolehop-roles.yaml --org',
        '  rolehop roles plan rolehop-roles.yaml --accounts 222222222222,333333333333 --json',
      ].join('\n'),
    )
    .action(invoke(() => import('../commands/roles-plan.js')));

  for (const mode of ['apply', 'prune'] as const) {
    const cmd = roles
      .command(mode)
      .description(
        mode === 'apply'
          ? 'create and update the roles of the bundle, then prove each by assuming it'
          : 'delete roles rolehop owns that the bundle no longer lists (after showing them)',
      )
      .argument('<file>', 'bundle file');
    addSelectionOptions(cmd, PROFILE_HELP)
      .option('--role <name>', 'role rolehop enters each account through (never changed by the run)', 'OrganizationAccountAccessRole')
      .option('--plan <plan.json>', 'refuse to change anything unless this saved plan is still what would happen')
      .option('-y, --yes', 'do not ask for confirmation (needed when not on a terminal)')
      .option('-c, --concurrency <n>', 'accounts changed at once, after the canary (default 32)', int)
      .option('--max-failures <n|p%>', 'failed accounts tolerated before no further batch starts (default 0)')
      .option('--no-canary', 'do not change one account alone first');
    if (mode === 'apply')
      cmd.option('--adopt', 'take over same-named roles that have no rolehop tag').option('--no-verify', 'do not prove changed roles by assuming them');
    cmd
      .addHelpText(
        'after',
        [
          '',
          'Exit codes: 0 done (or nothing to do); 10 some accounts failed or were not started;',
          '11 never; other codes: setup failed, or ERR_PLAN_STALE (3) when --plan no longer matches.',
          '',
          'Examples:',
          `  rolehop roles ${mode} rolehop-roles.yaml --org`,
          `  rolehop roles ${mode} rolehop-roles.yaml --org --plan plan.json --yes --max-failures 5%`,
        ].join('\n'),
      )
      .action(invoke(() => (mode === 'apply' ? import('../commands/roles-apply.js') : import('../commands/roles-prune.js'))));
  }
};
