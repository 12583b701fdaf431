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
    .option('--vars-file <file>', 'write the variables to FILE (0600, complete once it exists) instead of stdout; removed when the server stops')
    .addHelpText(
      'after',
      '\nPrints the variables that point a process at the server (`export` lines, or\nan object with --json), or writes them to --vars-file once it listens; anyone\nwho can read them can use the endpoint while it runs. The server listens on\n127.0.0.1 only and runs in the foreground until Ctrl-C.\n\nExamples:\n  # in one shell (Ctrl-C stops the server and removes the file):\n  rolehop server dev --vars-file ~/.rolehop-dev.vars\n  # in another shell, once it says "serving":\n  . ~/.rolehop-dev.vars && aws sts get-caller-identity\n\n  rolehop server --imds --json dev',
    )
    .action(invoke(() => import('../commands/server.js')));
};
