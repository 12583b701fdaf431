// writeFileAtomic, and its clean-up of temp files orphaned by killed writers,
// tested against real writer processes held open mid-write (store-child.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { ensurePrivateDir, tempPathFor, writeFileAtomic, writeFileAtomicSync } from '../../src/io/atomic-write.js';
import { cleanupChildScript, startChild, type Child } from './helpers/child.js';

describe('writeFileAtomic', () => {
  const root = mkdtempSync(join(tmpdir(), 'rolehop-atomic-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('creates missing parents 0700 and the file with the given mode', async () => {
    const p = join(root, 'a', 'b', 'f.json');
    await writeFileAtomic(p, '{"x":1}');
    assert.equal(readFileSync(p, 'utf8'), '{"x":1}');
    assert.equal(statSync(p).mode & 0o777, 0o600);
    assert.equal(statSync(join(root, 'a')).mode & 0o777, 0o700);
    assert.equal(statSync(join(root, 'a', 'b')).mode & 0o777, 0o700);
    await writeFileAtomic(p, Buffer.from('bytes'), 0o640);
    assert.equal(readFileSync(p, 'utf8'), 'bytes');
    assert.equal(statSync(p).mode & 0o777, 0o640);
  });

  it('replaces a file without leaving temp files, even under many concurrent writers', async () => {
    const p = join(root, 'c.txt');
    writeFileSync(p, 'old');
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeFileAtomic(p, `value ${i}`.repeat(1000))));
    assert.match(readFileSync(p, 'utf8'), /^(value \d+)+$/);
    assert.deepEqual(
      readdirSync(root).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });

  it('rejects and cleans up when the target cannot be replaced', async () => {
    const d = join(root, 'target-is-dir');
    await ensurePrivateDir(join(d, 'inner'));
    await assert.rejects(writeFileAtomic(join(d, 'inner'), 'x'));
    assert.deepEqual(readdirSync(d), ['inner']);
  });

  it('rejects in a read-only directory', { skip: process.getuid?.() === 0 ? 'root ignores permissions' : false }, async () => {
    const d = join(root, 'ro');
    await ensurePrivateDir(d);
    chmodSync(d, 0o500);
    await assert.rejects(writeFileAtomic(join(d, 'f'), 'x'), { code: 'EACCES' });
    chmodSync(d, 0o700);
  });
});

describe('writeFileAtomic and temp files left by other writers', () => {
  const root = mkdtempSync(join(tmpdir(), 'rolehop-orphans-'));
  after(() => {
    rmSync(root, { recursive: true, force: true });
    cleanupChildScript();
  });
  let n = 0;
  const freshDir = async () => {
    const d = join(root, `sessions-${n++}`);
    await ensurePrivateDir(d);
    return d;
  };
  const temps = (d: string) => readdirSync(d).filter((name) => name.endsWith('.tmp'));
  const children: Child[] = [];
  // A failed assertion must not leave a paused writer keeping the test process alive.
  afterEach(() => {
    for (const c of children.splice(0)) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  });
  /** A real writer process stopped between two chunks of its temp file. */
  const pausedWriter = async (path: string, text: string): Promise<Child> => {
    const child = await startChild(['write-paused', path, text]);
    children.push(child);
    await child.waitForLine((l) => l === 'mid-write');
    return child;
  };

  it('removes, on the next write in the directory, the temp file of a writer killed mid-write', { timeout: 60_000 }, async () => {
    const d = await freshDir();
    const killed = await pausedWriter(join(d, 'a.json'), 'from the killed writer');
    assert.equal(temps(d).length, 1, 'the writer is mid-write');
    killed.proc.kill('SIGKILL');
    assert.equal((await killed.exited).signal, 'SIGKILL');
    assert.equal(temps(d).length, 1, 'kill -9 left its temp file behind');
    await writeFileAtomic(join(d, 'b.json'), 'next write');
    assert.deepEqual(temps(d), []);
    assert.deepEqual(readdirSync(d), ['b.json']);
  });

  it('never removes the temp file of a live writer, in this process or another', { timeout: 60_000 }, async () => {
    const d = await freshDir();
    const live = await pausedWriter(join(d, 'live.json'), 'the live payload');
    const killed = await pausedWriter(join(d, 'dead.json'), 'never finished');
    killed.proc.kill('SIGKILL');
    await killed.exited;
    const [liveTemp] = temps(d).filter((t) => t.startsWith('.live.json.'));
    assert.ok(liveTemp);
    // Many writes in the same directory, async and sync, while the live writer is held mid-write.
    await Promise.all(Array.from({ length: 10 }, (_, i) => writeFileAtomic(join(d, `other-${i}.json`), `v${i}`)));
    writeFileAtomicSync(join(d, 'sync.bin'), Buffer.from('sync'));
    assert.deepEqual(temps(d), [liveTemp], "only the dead writer's temp went");
    live.proc.kill('SIGUSR2');
    await live.waitForLine((l) => l === 'written');
    assert.equal((await live.exited).code, 0);
    assert.equal(readFileSync(join(d, 'live.json'), 'utf8'), 'the live payload');
    assert.deepEqual(temps(d), []);
  });

  it('removes a temp file older than any write can take, even when its pid now belongs to a live process', async () => {
    const d = await freshDir();
    // pid 1 is always alive: the name could have come from a writer whose pid was reused.
    const reused = tempPathFor(join(d, 'old.json')).replace(`.${process.pid.toString(16)}-`, '.1-');
    writeFileSync(reused, 'partial');
    const young = tempPathFor(join(d, 'young.json')).replace(`.${process.pid.toString(16)}-`, '.1-');
    writeFileSync(young, 'partial');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(reused, twoHoursAgo, twoHoursAgo);
    await writeFileAtomic(join(d, 'x.json'), 'x');
    assert.deepEqual(
      temps(d).map((t) => join(d, t)),
      [young],
    );
  });

  it('leaves files alone that are not its temp files', async () => {
    const d = await freshDir();
    const others = ['.notes.tmp', 'plain.tmp', '.a.json.zz-1.tmp', '.a.json.tmp', 'a.json.1-2.tmp'];
    for (const name of others) writeFileSync(join(d, name), 'user data');
    for (const name of others) utimesSync(join(d, name), new Date(0), new Date(0));
    await writeFileAtomic(join(d, 'x.json'), 'x');
    assert.deepEqual(temps(d).sort(), [...others].sort());
  });
});
