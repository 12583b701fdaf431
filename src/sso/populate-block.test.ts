import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIni } from '../config/parse-ini.js';
import { ssoPopulateBlock } from './populate-block.js';

test('one profile per assignment, sorted, named by the template, with the session, account and role', () => {
  const b = ssoPopulateBlock({
    session: 'corp',
    template: '{account_name}-{role}',
    region: 'eu-west-1',
    assignments: [
      { accountId: '222222222222', accountName: 'Prod Main', roleName: 'ReadOnly' },
      { accountId: '111111111111', accountName: 'dev', roleName: 'Admin' },
    ],
  });
  assert.deepEqual(
    b.profiles.map((p) => p.name),
    ['Prod-Main-ReadOnly', 'dev-Admin'],
  );
  const sections = parseIni(b.text, 'block');
  assert.deepEqual(sections[0]!.entries, { sso_session: 'corp', sso_account_id: '222222222222', sso_role_name: 'ReadOnly', region: 'eu-west-1' });
  assert.match(b.text, /^# >>> rolehop config generate: bundle sso-session:corp /);
  assert.deepEqual(b.clashes, []);
});

test('two assignments with one name: the second gets its account id, and the clash is said', () => {
  const b = ssoPopulateBlock({
    session: 'corp',
    template: '{role}',
    assignments: [
      { accountId: '111111111111', roleName: 'Admin' },
      { accountId: '222222222222', roleName: 'Admin' },
    ],
  });
  assert.deepEqual(
    b.profiles.map((p) => p.name),
    ['Admin', 'Admin-222222222222'],
  );
  assert.equal(b.clashes.length, 1);
});

test('an account name cannot break out of its comment line', () => {
  const b = ssoPopulateBlock({
    session: 'corp',
    template: '{account}-{role}',
    assignments: [{ accountId: '111111111111', accountName: 'x\n[profile evil]', roleName: 'R' }],
  });
  assert.equal(
    parseIni(b.text, 'block')
      .map((s) => s.name)
      .join(','),
    '111111111111-R',
  );
});
