import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountIds, median, runJsonChild, startSpan } from './children.js';

test('median of odd, even and empty lists', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('account ids are distinct 12-digit strings', () => {
  const ids = accountIds(1000);
  assert.equal(new Set(ids).size, 1000);
  assert.ok(ids.every((id) => /^\d{12}$/.test(id)));
});

test('a span measures wall and CPU time of the work after it started', () => {
  const end = startSpan();
  // Spins until the span has used both 50 ms of CPU and 50 ms of wall time, however busy the
  // machine is. Both are needed: process.cpuUsage() counts every thread (GC, libuv), so 50 ms
  // of CPU can be reached in less than 50 ms of wall time on two cores.
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const cpuSpun = (): number => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  while (cpuSpun() < 50 || performance.now() - t0 < 50);
  const m = end();
  assert.ok(m.cpuMs >= 50, `the span saw the CPU spun (${m.cpuMs})`);
  assert.ok(m.wallMs >= 50, `and the wall time it took (${m.wallMs})`);
  assert.ok(Math.abs(m.cpuMs - m.cpuUserMs - m.cpuSystemMs) < 1e-6);
  assert.ok(m.maxRssMb > 0);
});

test('runJsonChild reads the last JSON line and rejects a failed child', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-children-'));
  try {
    const ok = join(dir, 'ok.mjs');
    writeFileSync(ok, 'console.log("noise"); console.log(JSON.stringify({ a: Number(process.argv[2]) }));');
    assert.deepEqual(await runJsonChild(ok, ['7']), { a: 7 });
    const bad = join(dir, 'bad.mjs');
    writeFileSync(bad, 'console.error("boom"); process.exit(3);');
    await assert.rejects(runJsonChild(bad, []), /failed \(3\): boom/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
