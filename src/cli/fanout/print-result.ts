import type { TargetResult } from '../../engine/types.js';
import type { CliContext } from '../cli-context.js';
import { humanLines, resultLine } from '../output/run-results.js';
import { failureJson, failureText } from '../output/sweep-failures.js';

/**
 * Prints one `run` result as it arrives, above the progress bar: with
 * `--json` its NDJSON line on stdout, else the human lines (output on
 * stdout, a failure on stderr; escaped when stdout is a terminal).
 */
export function printRunResult(cli: Pick<CliContext, 'json' | 'screen' | 'tty'>, r: TargetResult): void {
  if (cli.json) {
    cli.screen.out(resultLine(r));
    return;
  }
  const h = humanLines(r, { terminal: cli.tty.stdout });
  cli.screen.out(h.out);
  cli.screen.err(h.err);
}

/**
 * Prints a target a sweep could not cover: with `--json` one NDJSON line on
 * stdout (so a script sees what is missing), else a ✗ line on stderr.
 */
export function printSweepFailure(cli: Pick<CliContext, 'json' | 'screen'>, r: TargetResult): void {
  if (cli.json) cli.screen.out(failureJson(r));
  else cli.screen.err(failureText(r));
}
