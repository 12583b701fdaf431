import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profileNameProblem, quotedName } from './profile-name.js';

test('names of any script, digits and _ . @ + % : / - are usable, Object.prototype names included', () => {
  for (const name of [
    'prod',
    'a_b.c@d+e%f:g/h-1',
    'café-prod',
    'zoë',
    '東京',
    'cafe\u0301',
    'constructor',
    'toString',
    'hasOwnProperty',
    'default',
    'my team',
    'team a b',
  ]) {
    assert.equal(profileNameProblem(name), undefined, name);
  }
});

test('names rolehop cannot round-trip are refused, each with a reason', () => {
  for (const name of [
    '',
    '__proto__',
    ' lead',
    'trail ',
    'two  spaces',
    'nbsp\u00a0x',
    '"q"',
    'bad!name',
    'tab\there',
    'prod\u200b',
    'ab\u202ecd',
    'x'.repeat(201),
    'é'.repeat(40),
  ]) {
    assert.match(profileNameProblem(name) ?? '', /^(is|contains) /, JSON.stringify(name));
  }
});

test('quotedName shows invisible and control characters as escapes', () => {
  assert.equal(quotedName('café prod'), '"café prod"');
  assert.equal(quotedName('a\u202eb\x1b[1m"\\'), '"a\\u{202e}b\\u{1b}[1m\\u{22}\\u{5c}"');
});
