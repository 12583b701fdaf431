import type { CommandSpec } from '../cli-context.js';

export const spec: CommandSpec = (program, invoke) => {
  const agent = program
    .command('agent')
    .description('a background agent holding the unlocked vault and warm sessions (start | stop | status)')
    .addHelpText(
      'after',
      '\nWhile it runs, exec, export, server and credential_process calls ask the agent\ninstead of unlocking the vault, so the passphrase and its key derivation are\npaid once. It listens on a Unix socket in ROLEHOP_HOME/agent (mode 0700).\nWith the file backend it starts itself on the first unlock (idle timeout 1h);\nROLEHOP_AGENT_AUTOSTART=0 turns that off. Set ROLEHOP_NO_AGENT=1 to bypass it.\n\nExamples:\n  rolehop agent start --idle-timeout 8h\n  rolehop agent status\n  rolehop agent stop',
    );
  const load = () => import('../commands/agent.js');
  agent
    .command('start')
    .description('start the agent (asks for the file vault passphrase once)')
    .option('--idle-timeout <duration>', 'exit after this long without a request (e.g. 30m, 8h; 0 = never)', '1h')
    .action(invoke(async () => ({ default: (await load()).start })));
  agent
    .command('stop')
    .description('stop the agent and wipe its keys from memory')
    .action(invoke(async () => ({ default: (await load()).stop })));
  agent
    .command('status')
    .description('show whether the agent runs (exit code 1 when it does not)')
    .action(invoke(async () => ({ default: (await load()).status })));
  agent
    .command('serve', { hidden: true })
    .description('run the agent in the foreground (internal: reads its settings from stdin)')
    .action(invoke(async () => ({ default: (await load()).serve })));
};
