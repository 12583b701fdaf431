import type { FanOutStats, FanOutTarget, Job, TargetResult } from '../engine/types.js';
import { isFailedRow, type AmiRow } from '../sweeps/ami/index.js';
import type { CliContext } from './cli-context.js';
import { amiRowText } from './output/ami-rows.js';
import { plural } from './output/plural.js';
import { runSweep, type SweepOpts, type SweepSetup } from './sweep-run.js';

/** What one `ami` sweep gave. */
export interface AmiSweepOutcome {
  rows: AmiRow[];
  /** Targets that could not be covered (AssumeRole denied, discovery failed). */
  failedTargets: TargetResult<AmiRow[]>[];
  stats: FanOutStats;
  /** With `drain`: stopped by Ctrl-C after the running targets finished what they were doing. */
  interrupted?: boolean;
}

/**
 * Runs an `ami` job on the engine and prints each row as its target
 * finishes (NDJSON with --json, else ✓/·/✗ lines), and each failed target
 * (failureJson / failureText). `print: false` collects only (prune's plan
 * before the question). Undefined when interrupted or stdout closed; with
 * `drain` (jobs that change things), Ctrl-C lets the running targets finish
 * the AMI they are on and the outcome comes back marked `interrupted`.
 */
export async function runAmiSweep(
  cli: CliContext,
  opts: SweepOpts,
  setup: SweepSetup,
  job: Job<AmiRow[]>,
  o: { print?: boolean; targets?: FanOutTarget[]; sessionName: string; drain?: boolean },
): Promise<AmiSweepOutcome | undefined> {
  const rows: AmiRow[] = [];
  const print = o.print ?? true;
  const outcome = await runSweep(cli, opts, setup, job, {
    ...(o.targets ? { targets: o.targets } : {}),
    sessionName: o.sessionName,
    ...(o.drain ? { drain: true } : {}),
    onValue: (r) => {
      for (const row of r.value ?? []) {
        rows.push(row);
        if (print) printAmiRow(cli, row);
      }
    },
  });
  return outcome ? { rows, failedTargets: outcome.failed, stats: outcome.stats, ...(outcome.interrupted ? { interrupted: true } : {}) } : undefined;
}

/** One AMI row as its target finishes: NDJSON with --json, else its ✓/·/✗ line. */
function printAmiRow(cli: CliContext, row: AmiRow): void {
  if (cli.json) {
    cli.screen.out(JSON.stringify(row) + '\n');
    return;
  }
  const t = amiRowText(row);
  if (t.out) cli.screen.out(t.out);
  if (t.err) cli.screen.err(t.err);
}

/** `, 2 AMIs failed, 1 target failed` — empty when nothing failed. */
export function failureSummary(outcome: AmiSweepOutcome): string {
  const rows = outcome.rows.filter(isFailedRow).length;
  const parts = [rows ? `${plural(rows, 'AMI')} failed` : '', outcome.failedTargets.length ? `${plural(outcome.failedTargets.length, 'target')} failed` : ''];
  return parts
    .filter(Boolean)
    .map((p) => `, ${p}`)
    .join('');
}

/** `ami prune: interrupted: …; 3 AMIs and 2 targets not started; NEXT` for the end of a drained sweep. */
export function interruptedSummary(command: string, done: string, outcome: AmiSweepOutcome, next: string): string {
  const rows = outcome.rows.filter((r) => r.action === 'not-started').length;
  const targets = outcome.stats.total - outcome.stats.started;
  return `${command}: interrupted: ${done}; ${plural(rows, 'AMI')} and ${plural(targets, 'target')} not started${failureSummary(outcome)}; ${next}\n`;
}

/** True when any row or target failed: the run exits 10 (see `coverageExit`). */
export function anyFailed(outcome: AmiSweepOutcome): boolean {
  return outcome.failedTargets.length > 0 || outcome.rows.some(isFailedRow);
}
