import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, ExitCodes, exitCodeFor } from './errors.js';

test('exit 1 is reserved for bugs: only ERR_INTERNAL maps to it', () => {
  const onOne = Object.values(ErrorCodes).filter((code) => exitCodeFor(code) === ExitCodes.INTERNAL);
  assert.deepEqual(onOne, [ErrorCodes.INTERNAL]);
});

test('ERR_AGENT is a vault problem and ERR_SERVER a usage problem', () => {
  assert.equal(exitCodeFor(ErrorCodes.AGENT), ExitCodes.VAULT);
  assert.equal(exitCodeFor(ErrorCodes.SERVER), ExitCodes.USAGE);
});
