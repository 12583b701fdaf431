import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { FanOutStats } from '../../engine/types.js';
import { regionLookupLine } from '../output/region-lookup-line.js';
import { TerminalWriter } from '../terminal-writer.js';
import { progressBar } from './progress-bar.js';

const CLEAR = '\r\x1b[2K';

/** A screen whose stderr records every write; a terminal unless told otherwise. */
function screen(tty = true) {
  const writes: string[] = [];
  const stderr = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  Object.assign(stderr, { columns: 120 });
  const stdout = new Writable({ write: (_c, _e, done) => done() });
  return { writes, screen: new TerminalWriter({ stdout, stderr, tty: { stdout: false, stderr: tty } }) };
}

const stats = (total: number): FanOutStats => ({
  total,
  outOfShard: 0,
  resumed: 0,
  started: 0,
  done: 0,
  ok: 0,
  failed: 0,
  running: 0,
  retries: 0,
  throttles: 0,
  assumeCalls: 0,
  byCode: {},
  aborted: false,
  startedAt: Date.now(),
});

describe('progressBar', () => {
  it('draws the line it is given on a terminal, and stop erases it (twice is fine)', async () => {
    const s = screen();
    const bar = await progressBar({ screen: s.screen, json: false }, regionLookupLine);
    bar.start(stats(240));
    assert.deepEqual(s.writes, [`${CLEAR}Asking 240 accounts for their enabled regions  0/240`]);
    bar.stop();
    bar.stop();
    assert.deepEqual(s.writes.slice(1), [CLEAR]);
  });

  it("draws the run's bar by default", async () => {
    const s = screen();
    const bar = await progressBar({ screen: s.screen, json: false });
    bar.start(stats(3));
    bar.stop();
    assert.ok(s.writes[0]!.startsWith(CLEAR), s.writes[0]);
    assert.match(s.writes[0]!.slice(CLEAR.length), /^ ░+ 0\/3 \| 0\.0\/s \| ETA -- \| retries 0 \| failed 0$/);
  });

  it('writes nothing off a terminal, with --json, or with nothing to do', async () => {
    for (const [tty, json, total] of [
      [false, false, 5],
      [true, true, 5],
      [true, false, 0],
    ] as const) {
      const s = screen(tty);
      const bar = await progressBar({ screen: s.screen, json }, regionLookupLine);
      bar.start(stats(total));
      bar.stop();
      assert.deepEqual(s.writes, [], `tty ${tty}, json ${json}, total ${total}`);
    }
  });

  it('stop without start writes nothing', async () => {
    const s = screen();
    (await progressBar({ screen: s.screen, json: false }, regionLookupLine)).stop();
    assert.deepEqual(s.writes, []);
  });
});
