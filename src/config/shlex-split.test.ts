import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shlexSplit } from './shlex-split.js';

// Expected values are what Python 3.11's shlex.split prints for the same input.
const cases: Array<[string, string[] | undefined]> = [
  ['profile me', ['profile', 'me']],
  ['profile   me  ', ['profile', 'me']],
  ['profile "my team"', ['profile', 'my team']],
  ["profile 'my team'", ['profile', 'my team']],
  ['profile "a\\"b"', ['profile', 'a"b']],
  ['profile "a\\b"', ['profile', 'a\\b']],
  ["profile 'a\\b'", ['profile', 'a\\b']],
  ['profile a\\ b', ['profile', 'a b']],
  ['profile "a"b', ['profile', 'ab']],
  ['profile ""', ['profile', '']],
  ['profile a b', ['profile', 'a', 'b']],
  ['profilex', ['profilex']],
  ['profile "open', undefined],
  ['profile a\\', undefined],
  ['profile #x', ['profile', '#x']],
];

for (const [input, want] of cases) {
  test(`shlexSplit(${JSON.stringify(input)})`, () => assert.deepEqual(shlexSplit(input), want));
}
