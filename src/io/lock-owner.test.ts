import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { currentOwner, ownerState, parseOwner } from './lock-owner.js';

describe('ownerState', () => {
  const me = currentOwner();

  it('sees this very process as running', () => {
    assert.equal(ownerState(me), process.platform === 'linux' ? 'running' : 'unknown');
  });

  it('proves a process dead: exited, a reused pid, a previous boot', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    assert.equal(ownerState({ ...me, pid: gone }), 'dead');
    if (process.platform !== 'linux') return;
    assert.equal(ownerState({ ...me, start: '1' }), 'dead');
    assert.equal(ownerState({ ...me, boot: 'another-boot' }), 'dead');
  });

  it('judges nothing it cannot see: another host, another pid namespace, no record', () => {
    assert.equal(ownerState({ ...me, host: `not-${me.host}` }), 'unknown');
    if (process.platform === 'linux') assert.equal(ownerState({ ...me, pidns: 'pid:[1]' }), 'unknown');
    assert.equal(ownerState(undefined), 'unknown');
  });

  it('parses only complete owner records', () => {
    assert.deepEqual(parseOwner(JSON.stringify(me)), me);
    assert.equal(parseOwner(''), undefined);
    assert.equal(parseOwner('{"pid":"12","host":"h"}'), undefined);
    assert.equal(parseOwner('{"pid":0,"host":"h"}'), undefined);
  });
});
