import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profileOmitted } from './exec-operands.js';

test('the profile is the first operand before `--`, or left out', () => {
  assert.equal(profileOmitted(['exec', 'prod', '--', 'aws', 's3', 'ls'], 4), false);
  assert.equal(profileOmitted(['exec', 'prod', 'aws'], 2), false);
  assert.equal(profileOmitted(['--json', 'exec', '-r', 'eu-west-1', 'prod'], 1), false);
  assert.equal(profileOmitted(['exec', '--', 'aws', 's3', 'ls'], 3), true);
  assert.equal(profileOmitted(['exec', '-r', 'eu-west-1', '--', 'sh'], 1), true);
  assert.equal(profileOmitted(['exec'], 0), true);
  assert.equal(profileOmitted(['exec', '--'], 0), true);
  // A later `--` belongs to the child's command line.
  assert.equal(profileOmitted(['exec', '--', 'sh', '-c', 'x', '--', 'y'], 5), true);
  assert.equal(profileOmitted(['exec', 'prod', '--', 'sh', '--', 'y'], 4), false);
});
