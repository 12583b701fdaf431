import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TargetResult } from '../../engine/types.js';
import { humanLines, stderrTail, TAIL_CHARS, TAIL_LINES } from './run-results.js';

const result = (over: Partial<TargetResult>): TargetResult => ({
  account: '111111111111',
  region: 'eu-west-1',
  ok: true,
  durationMs: 5,
  attempts: 1,
  retries: 0,
  ...over,
});

describe('humanLines', () => {
  it('tags every output line with the target', () => {
    assert.equal(humanLines(result({ stdout: 'a\nb\n' })).out, '111111111111 eu-west-1 | a\n111111111111 eu-west-1 | b\n');
  });

  it('on a terminal, escapes what could move the cursor; into a file, keeps the bytes', () => {
    const stdout = 'ok\r\n\x1b[2Kgone\rover\n';
    assert.equal(humanLines(result({ stdout }), { terminal: true }).out, '111111111111 eu-west-1 | ok\n111111111111 eu-west-1 | \\x1b[2Kgone\\x0dover\n');
    assert.equal(humanLines(result({ stdout })).out, '111111111111 eu-west-1 | ok\r\n111111111111 eu-west-1 | \x1b[2Kgone\rover\n');
  });

  it('escapes a failure message always', () => {
    const r = result({ ok: false, error: { code: 'ERR_JOB', message: 'bad\x1b[31m', stage: 'job' } });
    assert.equal(humanLines(r).err, '✗ 111111111111 eu-west-1: ERR_JOB bad\\x1b[31m\n');
  });
});

describe('stderrTail', () => {
  it('keeps the last lines, bounded in count and length', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i} ${'x'.repeat(200)}`);
    const tail = stderrTail(lines.join('\n'));
    assert.ok(tail.length <= TAIL_LINES);
    assert.ok(tail.join('').length <= TAIL_CHARS + 10);
    assert.match(tail.at(-1)!, /^line 19 /);
  });
});
