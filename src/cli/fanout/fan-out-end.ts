import { ExitCodes } from '../../errors.js';
import type { CliContext } from '../cli-context.js';
import { endedByClosedStdout } from '../closed-stdout.js';

/** Why a fan-out's results stopped. */
export type FanOutEnd = 'stdout-closed' | 'interrupted' | 'finished';

/**
 * Asked after the last result: `stdout-closed` when the reader of stdout
 * went away (`| head`; it also aborts the signal, so it is asked first),
 * `interrupted` on Ctrl-C or SIGTERM, else `finished` (every target ran).
 */
export function howItEnded(cli: Pick<CliContext, 'signal'>): FanOutEnd {
  if (endedByClosedStdout()) return 'stdout-closed';
  return cli.signal.aborted ? 'interrupted' : 'finished';
}

/**
 * The exit code of a fan-out that finished: 10 (partial) when some of it
 * could not be covered (a failed target, an error no target could be
 * blamed for), said first whatever was found elsewhere; else 12 when it
 * found something (a sweep's findings); else 0.
 */
export function coverageExit(outcome: { failed: boolean; findings?: boolean }): number {
  if (outcome.failed) return ExitCodes.PARTIAL;
  return outcome.findings ? ExitCodes.FINDINGS : ExitCodes.OK;
}
