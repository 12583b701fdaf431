import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildConfig } from '../../config/load-config.js';
import { parseIni } from '../../config/parse-ini.js';
import { choiceLabel, profileChoices, type ProfileChoice } from './profile-choices.js';
import { rankProfiles } from './rank-profiles.js';

const CONFIG = [
  '[profile alice]',
  'mfa_serial = arn:aws:iam::123456789012:mfa/alice',
  '[profile prod]',
  'role_arn = arn:aws:iam::111111111111:role/Admin',
  'source_profile = alice',
  '[profile prod-readonly]',
  'role_arn = arn:aws:iam::111111111111:role/team/ReadOnly',
  'source_profile = alice',
  '[profile pear]',
  'role_arn = arn:aws:iam::222222222222:role/Deploy',
  'source_profile = alice',
  '[profile sso-dev]',
  'sso_session = corp',
  'sso_account_id = 333333333333',
  'sso_role_name = PowerUser',
].join('\n');

const names = new Map([
  ['111111111111', 'Production'],
  ['333333333333', 'Sandbox'],
]);
const choices = profileChoices(buildConfig(parseIni(CONFIG, 'config'), 'config'), names);
const rank = (q: string) => rankProfiles(choices, q).map((c) => c.name);

test('choices carry the account from role_arn or sso_account_id, its cached name and the role', () => {
  assert.deepEqual(choices, [
    { name: 'alice' },
    { name: 'pear', accountId: '222222222222', roleName: 'Deploy' },
    { name: 'prod', accountId: '111111111111', accountName: 'Production', roleName: 'Admin' },
    { name: 'prod-readonly', accountId: '111111111111', accountName: 'Production', roleName: 'team/ReadOnly' },
    { name: 'sso-dev', accountId: '333333333333', accountName: 'Sandbox', roleName: 'PowerUser' },
  ]);
});

test('typed characters keep the subsequence matches, best first', () => {
  assert.deepEqual(rank('prd'), ['prod', 'prod-readonly']);
  assert.deepEqual(rank('pr'), ['prod', 'prod-readonly', 'pear', 'sso-dev']);
  assert.deepEqual(rank('zzz'), []);
});

test('account ids, account names and role names are matched too', () => {
  assert.deepEqual(rank('sandbx'), ['sso-dev']);
  assert.deepEqual(rank('2222'), ['pear']);
  assert.deepEqual(rank('deploy'), ['pear']);
  assert.deepEqual(rank('readonly'), ['prod-readonly']);
});

test('every word must match; a name match beats the same match in the account name', () => {
  assert.deepEqual(rank('production only'), ['prod-readonly']);
  const tie: ProfileChoice[] = [{ name: 'other', accountName: 'prod' }, { name: 'prod' }];
  assert.deepEqual(
    rankProfiles(tie, 'prod').map((c) => c.name),
    ['prod', 'other'],
  );
});

test('an empty query keeps the order given', () => {
  assert.deepEqual(
    rank('  '),
    choices.map((c) => c.name),
  );
});

test('a label pads the name and shows what the choice is found by', () => {
  assert.equal(choiceLabel(choices[2]!, 8), 'prod      111111111111 (Production) Admin');
  assert.equal(choiceLabel(choices[0]!, 8), 'alice');
});
