import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isCredentialProcess, matchFastCall } from './fast-path.js';
import { EXPORT_FORMATS } from './output/credential-formats.js';

describe('matchFastCall', () => {
  it('takes the credential_process invocation in each spelling', () => {
    for (const argv of [
      ['export', 'prod', '--format', 'credential-process'],
      ['export', 'prod', '-f', 'credential-process'],
      ['export', 'prod', '--format=credential-process'],
      ['export', '--format', 'credential-process', 'prod'],
    ]) {
      assert.deepEqual(matchFastCall(argv), { kind: 'export', profile: 'prod', format: 'credential-process' }, argv.join(' '));
      assert.equal(isCredentialProcess(matchFastCall(argv)), true);
    }
  });

  it('takes export in every format of formatCredentials, with a region, and env by default as the parser does', () => {
    for (const format of EXPORT_FORMATS) assert.deepEqual(matchFastCall(['export', 'p', '-f', format]), { kind: 'export', profile: 'p', format });
    assert.deepEqual(matchFastCall(['export', 'p']), { kind: 'export', profile: 'p', format: 'env' });
    assert.deepEqual(matchFastCall(['export', 'p', '--format=json', '--region', 'eu-west-1']), {
      kind: 'export',
      profile: 'p',
      format: 'json',
      region: 'eu-west-1',
    });
    assert.deepEqual(matchFastCall(['export', '-r', 'eu-west-1', 'p', '--format', 'ini']), {
      kind: 'export',
      profile: 'p',
      format: 'ini',
      region: 'eu-west-1',
    });
    assert.deepEqual(matchFastCall(['export', 'p', '--region=cn-north-1']), { kind: 'export', profile: 'p', format: 'env', region: 'cn-north-1' });
    // A region changes nothing in the line but the plan it is checked against: not the credential_process shortcut.
    assert.equal(isCredentialProcess(matchFastCall(['export', 'p', '-f', 'credential-process', '-r', 'eu-west-1'])), false);
    assert.equal(isCredentialProcess(matchFastCall(['export', 'p', '-f', 'json'])), false);
  });

  it('takes every name rolehop can use, not only ASCII ones', () => {
    for (const name of ['café-prod', 'my team', 'zoë', 'a/b:c@d+e%f'])
      assert.deepEqual(matchFastCall(['export', name]), { kind: 'export', profile: name, format: 'env' }, name);
  });

  it('takes exec with a command after --, or none (the shell)', () => {
    assert.deepEqual(matchFastCall(['exec', 'p', '--', 'aws', 's3', 'ls', '--region', 'x']), {
      kind: 'exec',
      profile: 'p',
      command: ['aws', 's3', 'ls', '--region', 'x'],
    });
    assert.deepEqual(matchFastCall(['exec', '-r', 'eu-west-1', 'p', '--', 'true']), { kind: 'exec', profile: 'p', region: 'eu-west-1', command: ['true'] });
    assert.deepEqual(matchFastCall(['exec', 'p', '--region=eu-west-1', '--', '--help']), {
      kind: 'exec',
      profile: 'p',
      region: 'eu-west-1',
      command: ['--help'],
    });
    assert.deepEqual(matchFastCall(['exec', 'p']), { kind: 'exec', profile: 'p', command: [] });
    assert.deepEqual(matchFastCall(['exec', 'p', '--']), { kind: 'exec', profile: 'p', command: [] });
  });

  it('takes list, clear and login --stdout with what the parser would hand their handlers', () => {
    assert.deepEqual(matchFastCall(['list']), { kind: 'list' });
    assert.deepEqual(matchFastCall(['ls']), { kind: 'list' });
    assert.deepEqual(matchFastCall(['clear']), { kind: 'clear' });
    assert.deepEqual(matchFastCall(['clear', 'prod']), { kind: 'clear', profile: 'prod' });
    assert.deepEqual(matchFastCall(['login', 'prod', '--stdout']), { kind: 'login', profile: 'prod' });
    assert.deepEqual(matchFastCall(['login', '-s', '-r', 'eu-west-1', 'prod']), { kind: 'login', profile: 'prod', region: 'eu-west-1' });
  });

  it('leaves everything else to the parser', () => {
    for (const argv of [
      [],
      ['export'],
      ['export', 'prod', '--format', 'yaml'],
      ['export', '--help', '--format', 'credential-process'],
      ['export', 'prod', '--format', 'credential-process', '--debug'],
      ['--debug', 'export', 'prod'],
      ['--backend', 'keychain', 'export', 'prod', '-f', 'json'],
      ['export', 'prod', '-f', 'json', '-f', 'ini'],
      ['export', 'prod', '-fjson'],
      ['export', 'prod', '--format'],
      ['export', 'prod', '--region', '--format', 'json'],
      ['export', 'prod', '--region='],
      ['export', 'prod', '--duration', '900'],
      ['export', 'prod', 'extra'],
      ['export', 'prod', '--', 'x'],
      ['export', 'café\u202e'],
      ['export', 'my  team'],
      ['export', ' team'],
      ['export', '__proto__'],
      ['exec', 'prod', 'aws', 's3', 'ls'],
      ['exec', 'prod', '--server', '--', 'true'],
      ['exec', 'prod', '--imds', '--', 'true'],
      ['exec', 'prod', '-n', '--', 'true'],
      ['exec', 'prod', '-d', '900', '--', 'true'],
      ['exec', '--', 'prod', 'true'],
      ['exec', '--json', 'prod', '--', 'true'],
      ['list', '--json'],
      ['list', 'extra'],
      ['clear', '--json'],
      ['clear', 'a', 'b'],
      ['clear', '--help'],
      ['login', 'prod'],
      ['login', 'prod', '--stdout', '--stdout'],
      ['login', 'prod', '--stdout', '--path', 'ec2/home'],
      ['login', 'prod', '--stdout', '-r', '-s'],
      ['login', '--stdout'],
    ])
      assert.equal(matchFastCall(argv), undefined, argv.join(' '));
  });
});
