import type { Command } from 'commander';
import { ErrorCodes, ExitCodes, RolehopError } from '../errors.js';
import { buildCliContext, type GlobalOptions } from './build-context.js';
import type { CommandHandler } from './cli-context.js';
import { endedByClosedStdout, guardOutput, STDOUT_CLOSED_EXIT } from './closed-stdout.js';
import { renderError } from './render-error.js';
import type { Invoke } from './program.js';
import { quietSdkWarning } from './sdk-warning.js';
import { finish, runHandler } from './run-handler.js';
import { handleStopSignals } from './signal-exit.js';
import { withoutRolehopSecrets } from '../credentials/child-env.js';
import type { MfaRequest } from '../io/context.js';

async function main(argv: string[]): Promise<number> {
  const [{ CommanderError }, { buildProgram }] = await Promise.all([import('commander'), import('./program.js')]);
  const abort = new AbortController();
  guardOutput(process.stdout, process.stderr, () => abort.abort());
  let exitCode: number = ExitCodes.OK;
  let globals: GlobalOptions = {};

  const invoke: Invoke =
    (load) =>
    async (...a: unknown[]) => {
      const command = a[a.length - 1] as Command;
      globals = command.optsWithGlobals() as GlobalOptions;
      // Long-running commands watch cli.signal: the first Ctrl-C or SIGTERM
      // asks the command to stop; a second one ends the process at once.
      handleStopSignals(() => abort.abort());
      // The agent's own commands never start another agent.
      const cli = buildCliContext(globals, abort.signal, { agentAutostart: command.parent?.name() !== 'agent' });
      try {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander hands over whatever options the command declared
        const mod: { default: CommandHandler<any> } = await load();
        exitCode = await mod.default(cli, command.args, command.opts());
      } finally {
        await cli.settle();
      }
    };
  const program = buildProgram(invoke);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are "errors" in commander's exitOverride mode
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCodes.OK;
      return ExitCodes.USAGE;
    }
    // The reader left; the command stopped for it (ERR_ABORTED): nothing to report.
    if (endedByClosedStdout()) return STDOUT_CLOSED_EXIT;
    return renderError(e, process.stderr, { json: !!globals.json, debug: !!globals.debug || process.argv.includes('--debug') });
  }
}

function fatal(e: unknown): void {
  finish(renderError(e instanceof Error ? e : new RolehopError(ErrorCodes.INTERNAL, String(e)), process.stderr, { json: false, debug: true }));
}

/** Runs the CLI with `argv` (without node and script) and exits. */
export async function runMain(argv: string[]): Promise<void> {
  quietSdkWarning(argv.includes('--debug'));
  await main(argv).then(finish, fatal);
}

/** The commands the fast path hands straight to their handlers (see `fast-path.ts`). */
const DIRECT = {
  export: () => import('./commands/export.js'),
  list: () => import('./commands/list.js'),
  clear: () => import('./commands/clear.js'),
  login: () => import('./commands/login.js'),
};

/**
 * Runs `command`'s handler with the arguments and options the parser would
 * have given it, without loading the parser: for invocations the fast path
 * recognised (`export` without a cache hit among them). The same context,
 * signals, output guard and error rendering as {@link runMain}; exits.
 */
export async function runDirect(command: keyof typeof DIRECT, args: string[], opts: Record<string, unknown>): Promise<void> {
  return runHandler(DIRECT[command], args, opts);
}

/**
 * Answers an MFA question a running agent forwards to a `credential_process`
 * caller: `mfa_process` or a prompt on the controlling terminal, exactly as
 * the CLI would ask (rolehop's own secrets kept out of `mfa_process`).
 */
export async function askMfaCode(req: MfaRequest): Promise<string> {
  const { createTtyPrompter } = await import('./tty-prompter.js');
  const childEnv = withoutRolehopSecrets(process.env);
  return createTtyPrompter({ childEnv }).mfaCode(req);
}
