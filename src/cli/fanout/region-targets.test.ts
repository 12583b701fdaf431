import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { TerminalWriter } from '../terminal-writer.js';
import { regionTargets } from './region-targets.js';

describe('regionTargets', () => {
  it('asks no account, and so draws nothing even on a terminal, when the regions are listed default ones', async () => {
    const writes: string[] = [];
    const stderr = new Writable({
      write(chunk: Buffer, _enc, done) {
        writes.push(chunk.toString());
        done();
      },
    });
    const stdout = new Writable({ write: (_c, _e, done) => done() });
    const screen = new TerminalWriter({ stdout, stderr, tty: { stdout: true, stderr: true } });
    const targets = await regionTargets(
      { stderr, screen, json: false },
      {
        accounts: [{ account: '111111111111' }, { account: '222222222222', name: 'two' }],
        regions: { all: false, listed: ['eu-west-1', 'us-east-1'] },
        checkRegion: 'us-east-1',
      },
      {},
    );
    assert.deepEqual(
      targets.map((t) => `${t.account}/${t.region}`),
      ['111111111111/eu-west-1', '111111111111/us-east-1', '222222222222/eu-west-1', '222222222222/us-east-1'],
    );
    assert.deepEqual(writes, []);
  });
});
