import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FanOutStats } from '../../engine/types.js';
import { regionLookupLine } from './region-lookup-line.js';

const stats = (o: Partial<FanOutStats>): FanOutStats => ({
  total: 0,
  outOfShard: 0,
  resumed: 0,
  started: 0,
  done: 0,
  ok: 0,
  failed: 0,
  running: 0,
  retries: 0,
  throttles: 0,
  assumeCalls: 0,
  byCode: {},
  aborted: false,
  startedAt: 0,
  ...o,
});

describe('regionLookupLine', () => {
  it('says how many accounts are asked and how many have answered', () => {
    assert.equal(regionLookupLine(stats({ total: 240, done: 37, ok: 37 })), 'Asking 240 accounts for their enabled regions  37/240');
    assert.equal(regionLookupLine(stats({ total: 240 })), 'Asking 240 accounts for their enabled regions  0/240');
  });

  it('one account is asked for its regions', () => {
    assert.equal(regionLookupLine(stats({ total: 1 })), 'Asking 1 account for its enabled regions  0/1');
  });

  it('counts the accounts that could not be asked so far, only once there is one', () => {
    assert.equal(regionLookupLine(stats({ total: 10, done: 6, ok: 4, failed: 2 })), 'Asking 10 accounts for their enabled regions  6/10 | failed 2');
  });
});
