// The figures the sweeps benchmark reports for one side (rolehop's job on
// the engine, or the ceiling) of one sweep, from its runs.
import { median, type SpanMeasure } from '../children.js';

/** One side's figures over its runs: medians of wall and CPU, the highest peak RSS, throughput at the median wall time. */
export interface SideSummary {
  wallMsMedian: number;
  cpuMsMedian: number;
  peakRssMb: number;
  accountsPerSecond: number;
  unitsPerSecond: number;
}

/** Summarises the runs of one side that covered `accounts` accounts in `units` (account, region) units. */
export function sideSummary(runs: readonly SpanMeasure[], accounts: number, units: number): SideSummary {
  const wallMsMedian = median(runs.map((r) => r.wallMs));
  return {
    wallMsMedian,
    cpuMsMedian: median(runs.map((r) => r.cpuMs)),
    peakRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
    accountsPerSecond: accounts / (wallMsMedian / 1000),
    unitsPerSecond: units / (wallMsMedian / 1000),
  };
}

/** rolehop's figure over the ceiling's, for wall and CPU (above 1: rolehop needed more). */
export function ratios(job: SideSummary, ceiling: SideSummary): { wall: number; cpu: number } {
  return { wall: job.wallMsMedian / ceiling.wallMsMedian, cpu: job.cpuMsMedian / ceiling.cpuMsMedian };
}
