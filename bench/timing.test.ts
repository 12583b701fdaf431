import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mean, measureInterleaved, median, timeInterleaved } from './timing.js';

const linux = existsSync('/proc/self/stat');
const env = { PATH: process.env.PATH };
// Spins until it has used `ms` of CPU and lived `ms` of wall time, however busy the machine is
// (cpuUsage counts every thread, so CPU alone can be reached sooner than the wall time).
const spin = (ms: number) => ({
  cmd: process.execPath,
  args: ['-e', `while (process.cpuUsage().user + process.cpuUsage().system < ${ms * 1000} || performance.now() < ${ms});`],
  env,
});

test('median and mean', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(mean([1, 2, 6]), 3);
});

test('measureInterleaved reports each command its own wall and CPU time', { skip: !linux }, () => {
  const [short, long] = measureInterleaved([spin(0), spin(200)], 3);
  // The long one spins until its process has used 200 ms of CPU in all (start-up included).
  assert.ok(long!.cpuMs >= 190);
  assert.ok(long!.cpuMs - short!.cpuMs >= 100);
  assert.ok(long!.wallMs - short!.wallMs >= 100);
  assert.ok(Math.abs(long!.cpuMs - (long!.userMs + long!.systemMs)) < 1e-9);
  assert.equal(long!.daemonCpuMs, undefined);
});

test('the daemon probe is read around every run', () => {
  let calls = 0;
  const [m] = measureInterleaved([spin(0)], 1, { daemonCpuMs: () => (calls += 1) });
  // 3 runs (2 warm-up), 2 reads each; every difference is 1.
  assert.equal(calls, 6);
  assert.equal(m!.daemonCpuMs, 1);
});

test('timeInterleaved still returns the median wall times', () => {
  const ms = timeInterleaved([spin(0)], 1);
  assert.equal(ms.length, 1);
  assert.ok(ms[0]! > 0);
});

test('a failed command throws', () => {
  assert.throws(() => measureInterleaved([{ cmd: process.execPath, args: ['-e', 'process.exit(3)'], env }], 1), /failed/);
});
