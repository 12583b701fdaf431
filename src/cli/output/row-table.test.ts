import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { writeTable } from './row-table.js';

function sink(): Writable & { text: () => string } {
  const parts: string[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(chunk.toString());
      cb();
    },
  }) as Writable & { text: () => string };
  w.text = () => parts.join('');
  return w;
}

function rows(n: number): string[][] {
  return Array.from({ length: n }, (_, i) => [String(100000000000 + i), `account-${i}`]);
}

async function timeOf(n: number): Promise<number> {
  const r = rows(n);
  const start = process.hrtime.bigint();
  await writeTable(sink(), ['Account', 'Name'], r);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

describe('writeTable', () => {
  it('keeps the bordered table for small inputs', async () => {
    const out = sink();
    await writeTable(out, ['Account', 'Name'], rows(2));
    assert.match(out.text(), /┌/);
    assert.match(out.text(), /│ 100000000001 │ account-1 │/);
  });

  it('draws the bordered table with one line per row: a rule under the header only', async () => {
    const out = sink();
    await writeTable(out, ['Account', 'Name'], rows(40));
    const lines = out.text().trimEnd().split('\n');
    assert.equal(lines.length, 40 + 4);
    assert.match(lines[2]!, /^├─+┼─+┤$/);
    assert.match(lines[3]!, /^│ 100000000000 │ account-0  │$/);
    assert.match(lines.at(-1)!, /^└─+┴─+┘$/);
  });

  it('writes plain aligned rows past the limit, one line per row', async () => {
    const out = sink();
    await writeTable(
      out,
      ['A', 'B', 'C'],
      [
        ['x', 'two\n  lines', 'z'],
        ['longer', 'b', ''],
      ],
      { borderedRowLimit: 1 },
    );
    assert.equal(out.text(), 'A       B          C\nx       two lines  z\nlonger  b\n');
  });

  it('renders 100,000 rows in linear time', async () => {
    await timeOf(10_000); // warm up
    const small = Math.max(await timeOf(10_000), 5);
    const large = await timeOf(100_000);
    // Linear is 10x; quadratic would be 100x. Generous for a loaded machine.
    assert.ok(large < small * 40, `10k rows: ${small.toFixed(0)} ms, 100k rows: ${large.toFixed(0)} ms`);
    assert.ok(large < 20_000, `100k rows took ${large.toFixed(0)} ms`);
  });

  it('stops with ERR_ABORTED within a chunk once its signal aborts', async () => {
    const abort = new AbortController();
    const out = sink();
    const p = writeTable(out, ['Account', 'Name'], rows(100_000), { signal: abort.signal });
    abort.abort();
    await assert.rejects(p, { code: 'ERR_ABORTED' });
    assert.ok(out.text().split('\n').length < 10_000);
  });

  it('waits while the reader is behind, and an abort during the wait leaves the rest unwritten', async () => {
    // A reader that takes nothing until told: the table must not be queued whole in memory ahead of it.
    const taken: string[] = [];
    const held: Array<() => void> = [];
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        taken.push(chunk.toString());
        held.push(cb);
      },
    });
    const abort = new AbortController();
    const p = writeTable(out, ['Account', 'Name'], rows(100_000), { signal: abort.signal });
    for (let i = 0; i < 300; i++) await new Promise((r) => setImmediate(r));
    assert.ok(out.writableLength < 200_000, `queued ${out.writableLength} bytes ahead of a reader that took none`);
    abort.abort();
    await assert.rejects(p, { code: 'ERR_ABORTED' });
    for (const cb of held.splice(0)) cb();
    assert.ok(taken.join('').split('\n').length < 10_000);
  });
});
