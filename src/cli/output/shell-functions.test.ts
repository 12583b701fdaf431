import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { functionName, initShell, rcLine, shellInitScript } from './shell-functions.js';

describe('shell-init scripts', () => {
  it('names the shell, or suggests the closest one', () => {
    assert.equal(initShell('zsh'), 'zsh');
    assert.throws(() => initShell('bsh'), { code: 'ERR_USAGE', message: 'Unknown shell "bsh"', hint: /did you mean bash/ });
    assert.throws(() => initShell(undefined), { code: 'ERR_USAGE' });
  });
  it('takes only plain function names', () => {
    assert.equal(functionName(undefined), 'rh');
    assert.equal(functionName('assume'), 'assume');
    for (const bad of ['1x', 'a b', 'x;rm', 'rolehop', '']) assert.throws(() => functionName(bad), { code: 'ERR_USAGE' }, bad);
  });
  it('writes the rc line with a non-default name', () => {
    assert.deepEqual(rcLine('bash', 'rh'), { file: '~/.bashrc', line: 'eval "$(rolehop shell-init bash)"' });
    assert.equal(rcLine('fish', 'aws_as').line, 'rolehop shell-init fish --name aws_as | source');
  });
  it('defines the named function and, for bash and zsh, rolehop_prompt; evaluated output only, never arguments with secrets', () => {
    for (const shell of ['bash', 'zsh'] as const) {
      const s = shellInitScript(shell, 'assume');
      assert.match(s, /^assume\(\) \{$/m);
      assert.match(s, /^rolehop_prompt\(\) \{$/m);
      assert.match(s, /command rolehop export "\$@" --format sh/);
      assert.match(s, /command rolehop exec "\$@"/);
    }
    const fish = shellInitScript('fish', 'rh');
    assert.match(fish, /^function rh /m);
    assert.match(fish, /rolehop export \$argv --format fish/);
  });
});
