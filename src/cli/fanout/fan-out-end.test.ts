import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCodes } from '../../errors.js';
import { coverageExit, howItEnded } from './fan-out-end.js';

describe('coverageExit', () => {
  it('says incomplete coverage first, then findings, else 0', () => {
    assert.equal(coverageExit({ failed: true, findings: true }), ExitCodes.PARTIAL);
    assert.equal(coverageExit({ failed: true }), ExitCodes.PARTIAL);
    assert.equal(coverageExit({ failed: false, findings: true }), ExitCodes.FINDINGS);
    assert.equal(coverageExit({ failed: false }), ExitCodes.OK);
  });
});

describe('howItEnded', () => {
  it('finished unless the signal was aborted', () => {
    const c = new AbortController();
    assert.equal(howItEnded({ signal: c.signal }), 'finished');
    c.abort();
    assert.equal(howItEnded({ signal: c.signal }), 'interrupted');
  });
});
