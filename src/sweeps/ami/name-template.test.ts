import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRolehopError } from '../../errors.js';
import { checkNameTemplate, DEFAULT_NAME_TEMPLATE, renderImageName, utcStamp } from './name-template.js';

const fields = { instance: 'i-0abc', utc: '20261203T101500Z', account: '111111111111', region: 'eu-west-1' };
const usage = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: unknown) => isRolehopError(e) && e.code === 'ERR_USAGE' && re.test(e.message));

test('utcStamp is compact UTC to the second', () => {
  assert.equal(utcStamp(Date.UTC(2026, 11, 3, 10, 15, 0, 999)), '20261203T101500Z');
  assert.equal(utcStamp(0), '19700101T000000Z');
});

test('the default template and every placeholder render', () => {
  checkNameTemplate(DEFAULT_NAME_TEMPLATE);
  assert.equal(renderImageName(DEFAULT_NAME_TEMPLATE, fields), 'i-0abc-20261203T101500Z');
  const t = 'backup {account}/{region} (i-{instance}) @{utc}';
  checkNameTemplate(t);
  assert.equal(renderImageName(t, fields), 'backup 111111111111/eu-west-1 (i-i-0abc) @20261203T101500Z');
});

test('a template is refused before any AWS call when EC2 would refuse or collide', () => {
  usage(() => checkNameTemplate('{instance}-{date}'), /unknown placeholder \{date\}/);
  usage(() => checkNameTemplate('backup-{utc}'), /must contain \{instance\}/);
  usage(() => checkNameTemplate('backup-{instance}'), /must contain \{utc\}/);
  usage(() => checkNameTemplate('{instance}:{utc}'), /characters EC2 does not allow/);
  usage(() => checkNameTemplate(`${'x'.repeat(100)}-{instance}-{utc}`), /over 128/);
});
