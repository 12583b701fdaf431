import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fanOutNodeOptions, fanOutV8Flag, HEAP_GROWING_FLAG, SEMI_SPACE_FLAG } from './fan-out-heap.js';

const plain = { execArgv: [], nodeOptions: undefined };

describe('fanOutNodeOptions', () => {
  it('caps the young generation for every fan-out command, after any global options', () => {
    for (const argv of [
      ['run', '--accounts-file', 'a.txt', '--', 'aws', 'sts', 'get-caller-identity'],
      ['--json', 'certs', '--days', '30'],
      ['--backend', 'file', '--mfa-token=123456', 'roles', 'apply'],
      ['--debug', '--backend=file', 'audit', 'trust'],
      ['--mfa-token', '123456', 'ami', 'create'],
    ]) {
      assert.deepEqual(fanOutNodeOptions(argv, plain), [SEMI_SPACE_FLAG], argv.join(' '));
    }
  });

  it('keeps the options Node was started with', () => {
    assert.deepEqual(fanOutNodeOptions(['run'], { execArgv: ['--enable-source-maps'], nodeOptions: '' }), ['--enable-source-maps', SEMI_SPACE_FLAG]);
  });

  it('leaves other commands, help and unknown shapes alone', () => {
    for (const argv of [
      [],
      ['export', 'run'],
      ['exec', 'prod', '--', 'rolehop', 'run'],
      ['list'],
      ['--version'],
      ['--unknown', 'run'],
      ['run', '--help'],
      ['roles', '-h'],
    ]) {
      assert.equal(fanOutNodeOptions(argv, plain), undefined, argv.join(' '));
    }
  });

  it('still caps a run whose command asks for help after `--`', () => {
    assert.deepEqual(fanOutNodeOptions(['run', '--', 'aws', '--help'], plain), [SEMI_SPACE_FLAG]);
  });

  it('never overrides a size given already, so it restarts at most once', () => {
    assert.equal(fanOutNodeOptions(['run'], { execArgv: [SEMI_SPACE_FLAG], nodeOptions: undefined }), undefined);
    assert.equal(fanOutNodeOptions(['run'], { execArgv: ['--max-semi-space-size', '64'], nodeOptions: undefined }), undefined);
    assert.equal(fanOutNodeOptions(['run'], { execArgv: [], nodeOptions: '--trace-warnings --max-semi-space-size=32' }), undefined);
  });
});

describe('fanOutV8Flag', () => {
  it('lowers the heap growing factor for the fan-out commands, not for others or their help', () => {
    assert.equal(fanOutV8Flag(['--json', 'run', '--', 'aws', '--help'], []), HEAP_GROWING_FLAG);
    assert.equal(fanOutV8Flag(['audit', 'trust'], [SEMI_SPACE_FLAG]), HEAP_GROWING_FLAG);
    for (const argv of [['export', 'prod'], ['list'], ['run', '--help'], ['ami', '-h']]) assert.equal(fanOutV8Flag(argv, []), undefined, argv.join(' '));
  });

  it('leaves a growing percent given on the command line alone', () => {
    assert.equal(fanOutV8Flag(['run'], ['--heap-growing-percent=20']), undefined);
    assert.equal(fanOutV8Flag(['run'], ['--heap-growing-percent', '20']), undefined);
  });
});
