import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { childrenCpuMs, clockTicksPerSecond, processCpuMs, totalMs } from './cpu.js';

const linux = existsSync('/proc/self/stat');
// Spins until it has used 300 ms of CPU itself, however busy the machine is.
const BUSY = 'while (process.cpuUsage().user + process.cpuUsage().system < 300_000);';

test('clock ticks per second is a positive number', () => {
  assert.ok(clockTicksPerSecond() > 0);
});

test('a reaped child adds its CPU to childrenCpuMs', { skip: !linux }, () => {
  const before = totalMs(childrenCpuMs());
  assert.equal(spawnSync(process.execPath, ['-e', BUSY]).status, 0);
  // At least the 300 ms spun, less one 10 ms tick of truncation.
  assert.ok(totalMs(childrenCpuMs()) - before >= 290);
});

test('processCpuMs reads a live process and is NaN once it is gone', { skip: !linux }, async () => {
  const child = spawn(process.execPath, ['-e', `${BUSY} console.log('spun'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise((r) => child.stdout.once('data', r));
    assert.ok(totalMs(processCpuMs(child.pid!)) >= 290);
  } finally {
    child.kill('SIGKILL');
  }
  await new Promise((r) => child.once('exit', r));
  await new Promise((r) => setTimeout(r, 50)); // reaped by now: no /proc entry left
  assert.ok(Number.isNaN(totalMs(processCpuMs(child.pid!))));
});
