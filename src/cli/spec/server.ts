import type { CommandSpec } from '../cli-context.js';

export const spec: CommandSpec = (program, invoke) => {
  program
    .command('server')
    .description("serve PROFILE's refreshing credentials on a local endpoint until Ctrl-C")
    .argument('<profile>')
    .option('--imds', 'serve an IMDSv2-style endpoint instead of an ECS-style one')
    .option('-d, --duration <seconds>', 'session duration of the final role (or session)', (v) => Number.parseInt(v, 10))
    .option('-r, --region <region>', 'region to advertise (AWS_REGION, AWS_DEFAULT_REGION)')
    .option('-n, --no-session', 'use the stored key directly for the first role (no GetSessionToken)')
    .addHelpText(
      'after',
      '\nPrints the variables that point a process at the server (`export` lines, or\nan object with --json); anyone who can read them can use the endpoint while it\nruns. The server listens on 127.0.0.1 only.\n\nExamples:\n  eval "$(rolehop server dev)"   # in one shell, then run tools in another with the printed variables\n  rolehop server --imds --json dev',
    )
    .action(invoke(() => import('../commands/server.js')));
};
