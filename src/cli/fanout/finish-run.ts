import type { FanOutStats, TargetResult } from '../../engine/types.js';
import { ExitCodes } from '../../errors.js';
import type { CliContext } from '../cli-context.js';
import { summaryText } from '../output/run-results.js';
import { coverageExit, howItEnded } from './fan-out-end.js';

/** What `run`'s closing needs besides the stats. */
export interface RunClosing {
  /** `--output-dir`, named in the summary as where failed commands' full stderr is. */
  outputDir?: string;
  /** The call that entered each account: AssumeRole, or GetRoleCredentials for an SSO session. */
  entryCall: string;
  /** Errors of `--job` code that no target could be blamed for: they fail the run too. */
  unattributed: number;
}

/**
 * Ends `run` after its last result (the bar already gone) and returns its
 * exit code. A closed stdout gets one stderr line, what finished and what
 * did not start, and no failure list the reader did not want (130 here;
 * the CLI exits 141 for it). Else
 * the summary ({@link summaryText}) goes to stderr, and the code is 130
 * when interrupted, else {@link coverageExit}'s (10 when a target failed).
 */
export function finishRun(cli: Pick<CliContext, 'stderr' | 'signal'>, stats: FanOutStats, failures: TargetResult[], closing: RunClosing): number {
  const end = howItEnded(cli);
  if (end === 'stdout-closed') {
    cli.stderr.write(`rolehop: stdout was closed: ${stats.done} finished, ${stats.total - stats.started} not started\n`);
    return ExitCodes.INTERRUPTED;
  }
  cli.stderr.write(summaryText(stats, failures, end === 'interrupted', closing.outputDir, closing.entryCall));
  if (end === 'interrupted') return ExitCodes.INTERRUPTED;
  return coverageExit({ failed: stats.failed > 0 || closing.unattributed > 0 });
}
