import { buildCliContext } from './build-context.js';
import type { CommandHandler } from './cli-context.js';
import { endedByClosedStdout, exitCodeAfterOutput, guardOutput, isClosedPipe, STDOUT_CLOSED_EXIT } from './closed-stdout.js';
import { renderError } from './render-error.js';
import { quietSdkWarning } from './sdk-warning.js';
import { handleStopSignals } from './signal-exit.js';

/** Finishes the process once stdout has drained, so piped output is never cut. */
export function finish(code: number): void {
  process.exitCode = exitCodeAfterOutput(code);
  process.stdout.write('', (e) => process.exit(exitCodeAfterOutput(code, isClosedPipe(e))));
}

/**
 * Runs one command's handler (from `load`) with the arguments and options
 * the parser would have given it, without loading the parser: the same
 * context, signals, output guard and error rendering as the full CLI
 * (`main.ts`); exits. Shared by `runDirect` and the export-miss bundle
 * (`export-miss.ts`), so both run a command the same way.
 */
export async function runHandler(load: () => Promise<{ default: unknown }>, args: string[], opts: Record<string, unknown>): Promise<void> {
  quietSdkWarning(false);
  const abort = new AbortController();
  guardOutput(process.stdout, process.stderr, () => abort.abort());
  handleStopSignals(() => abort.abort());
  try {
    const cli = buildCliContext({}, abort.signal);
    const handler = (await load()).default as CommandHandler<Record<string, unknown>>;
    const code = await handler(cli, args, opts).finally(() => cli.settle());
    finish(code);
  } catch (e) {
    finish(endedByClosedStdout() ? STDOUT_CLOSED_EXIT : renderError(e, process.stderr, { json: false, debug: false }));
  }
}
