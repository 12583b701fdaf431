import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensurePrivateDir, writeFileAtomic } from '../../src/io/atomic-write.js';

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
