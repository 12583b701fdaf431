import type { CommandSpec } from '../cli-context.js';

export const spec: CommandSpec = (program, invoke) => {
  program
    .command('export')
    .description("print PROFILE's credentials for other tools")
    .argument('[profile]', 'profile to use; left out on a terminal, a picker opens')
    .option('-f, --format <format>', 'env | export-env | json | ini | credential-process | sh | fish', 'env')
    .option('-d, --duration <seconds>', 'session duration of the final role (or session)', (v) => Number.parseInt(v, 10))
    .option('-r, --region <region>', 'region to report')
    .addHelpText(
      'after',
      '\nIn ~/.aws/config, let any AWS CLI or SDK use rolehop:\n  [profile prod]\n  credential_process = rolehop export prod --format credential-process\n\nWithout PROFILE, when stdin and stderr are terminals, a picker opens on the\nterminal (stdout stays for the credentials): Enter picks, Esc cancels.\n\nExamples:\n  eval "$(rolehop export dev --format export-env)"\n  eval "$(rolehop export --format export-env)"\n  rolehop export dev --format json',
    )
    .action(invoke(() => import('../commands/export.js')));
};
