import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRolehopError } from '../../errors.js';
import { parseInstanceFilters, withStates } from './filters.js';

const usage = (fn: () => unknown, re: RegExp) =>
  assert.throws(fn, (e: unknown) => isRolehopError(e) && e.code === 'ERR_USAGE' && re.test(e.message) && /tag:Key=Value/.test(e.hint ?? ''));

test('tag:Key=Value and tag-key:Key become EC2 filters; the key ends at the first =', () => {
  assert.deepEqual(parseInstanceFilters(['tag:backup=daily', 'tag-key:team', 'tag:expr=a=b']), [
    { Name: 'tag:backup', Values: ['daily'] },
    { Name: 'tag-key', Values: ['team'] },
    { Name: 'tag:expr', Values: ['a=b'] },
  ]);
});

test('a key given twice matches either value; a repeat adds nothing; wildcards pass through', () => {
  assert.deepEqual(parseInstanceFilters(['tag:env=prod', 'tag:env=stag*', 'tag:env=prod']), [{ Name: 'tag:env', Values: ['prod', 'stag*'] }]);
  assert.deepEqual(parseInstanceFilters([]), []);
});

test('malformed filters are usage errors with a hint', () => {
  usage(() => parseInstanceFilters(['backup=daily']), /is not a tag filter/);
  usage(() => parseInstanceFilters(['Name=web']), /is not a tag filter/);
  usage(() => parseInstanceFilters(['tag:backup']), /has no value/);
  usage(() => parseInstanceFilters(['tag:=daily']), /empty tag key/);
  usage(() => parseInstanceFilters(['tag:backup=']), /empty value.*tag-key/);
  usage(() => parseInstanceFilters(['tag-key:']), /empty tag key/);
  usage(() => parseInstanceFilters(['tag-key:a=b']), /tag:Key=Value/);
  usage(() => parseInstanceFilters([`tag:${'k'.repeat(129)}=v`]), /over 128/);
  usage(() => parseInstanceFilters([`tag:k=${'v'.repeat(257)}`]), /over 256/);
});

test('withStates adds the instance-state-name filter', () => {
  assert.deepEqual(withStates([{ Name: 'tag-key', Values: ['a'] }], ['running', 'stopped']), [
    { Name: 'tag-key', Values: ['a'] },
    { Name: 'instance-state-name', Values: ['running', 'stopped'] },
  ]);
});
