import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handoffHtml, writeHandoffPage } from './handoff-page.js';

describe('hand-off page', () => {
  it('cannot be broken out of by the link', () => {
    const html = handoffHtml('https://x/?a=1&b="</script><script>alert(1)</script>');
    assert.equal(html.match(/<\/script>/g)?.length, 1);
    assert.ok(html.includes('content="0;url=https://x/?a=1&amp;b=&quot;&lt;/script>'));
  });

  it('is 0600 in a fresh 0700 directory, and old pages are swept', async () => {
    const parent = join(mkdtempSync(join(tmpdir(), 'rolehop-handoff-')), 'login');
    try {
      const old = await writeHandoffPage(parent, 'https://example.invalid/old');
      utimesSync(old.dir, new Date(0), new Date(0));
      const page = await writeHandoffPage(parent, 'https://example.invalid/?SigninToken=t');
      assert.equal(fileURLToPath(page.fileUrl), page.path);
      assert.equal(statSync(page.path).mode & 0o777, 0o600);
      assert.equal(statSync(dirname(page.path)).mode & 0o777, 0o700);
      assert.equal(statSync(parent).mode & 0o777, 0o700);
      assert.ok(readFileSync(page.path, 'utf8').includes('"https://example.invalid/?SigninToken=t"'));
      assert.ok(!existsSync(old.dir), 'a page older than a link is removed');
      page.remove();
      assert.ok(!existsSync(page.dir));
    } finally {
      rmSync(dirname(parent), { recursive: true, force: true });
    }
  });
});
