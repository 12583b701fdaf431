import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ratios, sideSummary } from './summary.js';

const run = (wallMs: number, cpuMs: number, maxRssMb: number) => ({ wallMs, cpuMs, cpuUserMs: cpuMs, cpuSystemMs: 0, maxRssMb });

describe('sweeps benchmark summaries', () => {
  it('takes medians of wall and CPU, the highest RSS, and throughput at the median wall time', () => {
    const s = sideSummary([run(30_000, 9_000, 140), run(20_000, 8_000, 150), run(25_000, 12_000, 120)], 1000, 2000);
    assert.deepEqual(s, { wallMsMedian: 25_000, cpuMsMedian: 9_000, peakRssMb: 150, accountsPerSecond: 40, unitsPerSecond: 80 });
  });

  it('uses the mean of the two middle runs for an even count', () => {
    const s = sideSummary([run(10_000, 4_000, 100), run(30_000, 2_000, 90)], 100, 100);
    assert.equal(s.wallMsMedian, 20_000);
    assert.equal(s.cpuMsMedian, 3_000);
    assert.equal(s.accountsPerSecond, 5);
  });

  it('gives rolehop over the ceiling for wall and CPU', () => {
    const a = sideSummary([run(11_000, 6_000, 100)], 10, 10);
    const b = sideSummary([run(10_000, 4_000, 100)], 10, 10);
    assert.deepEqual(ratios(a, b), { wall: 1.1, cpu: 1.5 });
  });
});
