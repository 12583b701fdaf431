import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bashEscape, bashReplies, splitBashLine } from './bash-line.js';

test('splitBashLine: words, quoting, and the empty word after a space', () => {
  assert.deepEqual(splitBashLine('rolehop exec pro'), { words: ['rolehop', 'exec', 'pro'], lastRaw: 'pro' });
  assert.deepEqual(splitBashLine('rolehop exec '), { words: ['rolehop', 'exec', ''], lastRaw: '' });
  assert.deepEqual(splitBashLine('rolehop exec "my te'), { words: ['rolehop', 'exec', 'my te'], lastRaw: '"my te' });
  assert.deepEqual(splitBashLine("rolehop exec 'a b' my\\ t"), { words: ['rolehop', 'exec', 'a b', 'my t'], lastRaw: 'my\\ t' });
  assert.deepEqual(splitBashLine('rolehop  run   --regions=us-east-1,eu'), {
    words: ['rolehop', 'run', '--regions=us-east-1,eu'],
    lastRaw: '--regions=us-east-1,eu',
  });
});

test('bashReplies: whole words, or the part after a word break bash keeps', () => {
  assert.deepEqual(bashReplies(['prod-admin'], 'pro', 'pro'), ['prod-admin']);
  // bash splits at = and :, so only the tail is replaced.
  assert.deepEqual(bashReplies(['--regions=eu-west-1', '--regions=eu-west-2'], '--regions=eu-w', 'eu-w'), ['eu-west-1', 'eu-west-2']);
  // Right after the break, readline replaces only what follows it.
  assert.deepEqual(bashReplies(['--regions=all'], '--regions=', '='), ['all']);
  assert.deepEqual(bashReplies(['team:ops'], 'team:', ':'), ['ops']);
  assert.deepEqual(bashReplies(['team:ops'], 'team:o', 'o'), ['ops']);
});

test('bashEscape: one word whatever the name holds', () => {
  assert.equal(bashEscape('my team'), 'my\\ team');
  assert.equal(bashEscape('café-prod'), 'café-prod');
  assert.equal(bashEscape("a'b$c"), "a\\'b\\$c");
  assert.equal(bashEscape('us-east-1,eu-west-1'), 'us-east-1,eu-west-1');
});
