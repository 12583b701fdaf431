import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Plan } from '../../config/plan.js';
import { identityMatches, shellProfile, whoamiLines, whoamiView } from './whoami-view.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const rolePlan: Plan = {
  profile: 'prod',
  region: 'eu-west-1',
  source: { kind: 'stored-key', profile: 'alice' },
  hops: [{ profile: 'prod', roleArn: 'arn:aws:iam::222222222222:role/Admin', roleSessionName: 's', durationSeconds: 3600 }],
  endpoints: {},
  warnings: [],
};
const shell = {
  ROLEHOP_PROFILE: 'prod',
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret-never-shown',
  AWS_SESSION_TOKEN: 'token-never-shown',
  ROLEHOP_EXPIRES: String(now / 1000 + 42 * 60),
  AWS_REGION: 'eu-west-1',
};

describe('whoamiView', () => {
  it('takes profile, account, role, region and time left from the shell and the plan', () => {
    const v = whoamiView({ env: shell, plan: rolePlan, accountNames: new Map([['222222222222', 'acct-prod']]), now });
    assert.deepEqual(v, {
      profile: 'prod',
      accountId: '222222222222',
      accountName: 'acct-prod',
      role: 'Admin',
      roleArn: 'arn:aws:iam::222222222222:role/Admin',
      region: 'eu-west-1',
      accessKeyId: 'ASIAEXAMPLE',
      expiresAt: '2026-01-01T12:42:00Z',
      secondsLeft: 42 * 60,
      expired: false,
    });
    const text = whoamiLines(v).join('\n');
    assert.match(text, /^account +222222222222 \(acct-prod\)$/m);
    assert.match(text, /^expires +2026-01-01T12:42:00Z \(42m left\)$/m);
    assert.doesNotMatch(text, /never-shown/);
  });

  it('prefers AWS_ACCOUNT_ID, reads an SSO plan, and falls back to AWS_CREDENTIAL_EXPIRATION', () => {
    const sso: Plan = {
      ...rolePlan,
      hops: [],
      source: { kind: 'sso', profile: 'dev', session: { name: 'corp' } as never, accountId: '333333333333', roleName: 'Dev' },
    };
    const env = { ...shell, ROLEHOP_EXPIRES: undefined, AWS_CREDENTIAL_EXPIRATION: '2026-01-01T11:59:00Z', AWS_ACCOUNT_ID: '444444444444' };
    const v = whoamiView({ env, plan: sso, accountNames: new Map(), now });
    assert.equal(v.accountId, '444444444444');
    assert.equal(v.role, 'Dev');
    assert.equal(v.secondsLeft, 0);
    assert.equal(v.expired, true);
    assert.match(whoamiLines(v).join('\n'), /\(expired\)/);
  });

  it('reports what the shell holds when the profile is gone from the config', () => {
    const v = whoamiView({ env: { ...shell, ROLEHOP_EXPIRES: 'junk' }, planProblem: 'Profile "prod" not found', accountNames: new Map(), now });
    assert.equal(v.accountId, undefined);
    assert.equal(v.expiresAt, undefined);
    const text = whoamiLines(v).join('\n');
    assert.match(text, /^account +unknown$/m);
    assert.match(text, /^note +profile not in the config now: Profile "prod" not found$/m);
  });

  it('refuses a shell without rolehop credentials, with a hint for each case', () => {
    assert.throws(() => shellProfile({}), { code: 'ERR_NO_CREDENTIALS', hint: /rh PROFILE/ });
    assert.throws(() => shellProfile({ ROLEHOP_PROFILE: 'prod' }), { code: 'ERR_NO_CREDENTIALS', hint: /rh prod/ });
    assert.throws(() => shellProfile({ AWS_ACCESS_KEY_ID: 'AKIA' }), { code: 'ERR_NO_CREDENTIALS' });
    // The hint names the line for the user's own shell.
    assert.throws(() => shellProfile({ SHELL: '/usr/bin/zsh' }), { hint: /rolehop shell-init zsh\)"/ });
    assert.throws(() => shellProfile({ SHELL: '/usr/bin/fish' }), { hint: /rolehop shell-init fish \| source/ });
    assert.throws(() => shellProfile({ SHELL: '/bin/tcsh' }), { hint: /rolehop shell-init bash\)"/ });
  });
});

describe('identityMatches', () => {
  const v = { accountId: '222222222222', role: 'Admin' };
  it('compares the account and the assumed role name', () => {
    assert.equal(identityMatches(v, { account: '222222222222', arn: 'arn:aws:sts::222222222222:assumed-role/Admin/s' }), true);
    assert.equal(identityMatches(v, { account: '999999999999', arn: 'arn:aws:sts::999999999999:assumed-role/Admin/s' }), false);
    assert.equal(identityMatches(v, { account: '222222222222', arn: 'arn:aws:sts::222222222222:assumed-role/ReadOnly/s' }), false);
  });
  it('checks only the account of a user session or an unknown role', () => {
    assert.equal(identityMatches({ accountId: '123456789012' }, { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice' }), true);
    assert.equal(identityMatches({}, { account: '1', arn: 'arn:aws:iam::1:user/x' }), true);
  });
});
