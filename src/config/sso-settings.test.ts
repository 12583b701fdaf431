import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AwsConfig } from './aws-config.js';
import { parseIni } from './parse-ini.js';
import { resolveSsoSession, ssoEndpoints, ssoProfile, ssoSessionSections, SSO_ACCESS_SCOPE } from './sso-settings.js';

const URL_ = 'https://d-1234567890.awsapps.com/start';
const sections = ssoSessionSections(
  parseIni(
    [
      '[sso-session corp]',
      `sso_start_url = ${URL_}`,
      'sso_region = eu-west-1',
      'sso_registration_scopes = sso:account:access, codewhisperer:completions',
      '[sso-session noregion]',
      `sso_start_url = ${URL_}`,
      '[sso-session plain]',
      'sso_start_url = http://example.com/start',
      'sso_region = us-east-1',
      '[profile not-a-session]',
      'region = us-east-1',
    ].join('\n'),
    'cfg',
  ),
);
const config = (profiles: Record<string, Record<string, string>>): AwsConfig => ({
  path: 'cfg',
  profiles: new Map(Object.entries(profiles)),
  services: new Map(),
});

test('an [sso-session] resolves with its scopes, sso:account:access always among them', () => {
  assert.deepEqual([...sections.keys()], ['corp', 'noregion', 'plain']);
  const s = resolveSsoSession(sections, 'corp', 'cfg');
  assert.equal(s.startUrl, URL_);
  assert.equal(s.region, 'eu-west-1');
  assert.equal(s.legacy, false);
  assert.deepEqual(s.scopes, [SSO_ACCESS_SCOPE, 'codewhisperer:completions']);
  assert.equal(s.origin, '[sso-session corp] in cfg');
});

test('bad sessions are errors naming the section, with hints', () => {
  assert.throws(() => resolveSsoSession(sections, 'nope', 'cfg'), { code: 'ERR_PROFILE_NOT_FOUND', hint: /corp, noregion, plain/ });
  assert.throws(() => resolveSsoSession(sections, 'noregion', 'cfg'), {
    code: 'ERR_PROFILE_INVALID',
    message: /\[sso-session noregion\] in cfg has no sso_region/,
  });
  assert.throws(() => resolveSsoSession(sections, 'plain', 'cfg'), { code: 'ERR_PROFILE_INVALID', message: /not an https URL/ });
});

test('profiles: sso_session form, legacy form, conflicts and non-SSO profiles', () => {
  const c = config({
    dev: { sso_session: 'corp', sso_account_id: '111122223333', sso_role_name: 'ReadOnly' },
    old: { sso_start_url: URL_, sso_region: 'us-east-1', sso_account_id: '111122223333', sso_role_name: 'Admin' },
    clash: { sso_session: 'corp', sso_region: 'us-east-1' },
    badacct: { sso_session: 'corp', sso_account_id: '12' },
    ghost: { sso_session: 'missing' },
    keys: { region: 'us-east-1' },
  });
  const dev = ssoProfile(c, sections, 'dev');
  assert.equal(dev.session.name, 'corp');
  assert.equal(dev.accountId, '111122223333');
  assert.equal(dev.roleName, 'ReadOnly');
  const old = ssoProfile(c, sections, 'old');
  assert.equal(old.session.legacy, true);
  assert.equal(old.session.name, URL_, 'a legacy login is kept under its start URL, as the AWS CLI keeps it');
  assert.deepEqual(old.session.scopes, [SSO_ACCESS_SCOPE]);
  assert.throws(() => ssoProfile(c, sections, 'clash'), { code: 'ERR_PROFILE_INVALID', message: /differ from its sso_session/ });
  assert.throws(() => ssoProfile(c, sections, 'badacct'), { code: 'ERR_PROFILE_INVALID', message: /12-digit/ });
  assert.throws(() => ssoProfile(c, sections, 'ghost'), { code: 'ERR_PROFILE_NOT_FOUND', message: /sso-session missing/ });
  assert.throws(() => ssoProfile(c, sections, 'keys'), { code: 'ERR_PROFILE_INVALID', message: /not an IAM Identity Center profile/ });
  assert.throws(() => ssoProfile(c, sections, 'absent'), { code: 'ERR_PROFILE_NOT_FOUND' });
});

test('endpoints: service variables, then AWS_ENDPOINT_URL, then the public ones', () => {
  assert.deepEqual(ssoEndpoints({}, 'eu-west-1'), { oidc: 'https://oidc.eu-west-1.amazonaws.com', portal: 'https://portal.sso.eu-west-1.amazonaws.com' });
  assert.deepEqual(ssoEndpoints({}, 'cn-north-1'), {
    oidc: 'https://oidc.cn-north-1.amazonaws.com.cn',
    portal: 'https://portal.sso.cn-north-1.amazonaws.com.cn',
  });
  assert.deepEqual(ssoEndpoints({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1/' }, 'us-east-1'), { oidc: 'http://127.0.0.1:1', portal: 'http://127.0.0.1:1' });
  assert.deepEqual(ssoEndpoints({ AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_SSO_OIDC: 'http://o', AWS_ENDPOINT_URL_SSO: 'http://p' }, 'us-east-1'), {
    oidc: 'http://o',
    portal: 'http://p',
  });
  assert.equal(
    ssoEndpoints({ AWS_ENDPOINT_URL: 'http://a', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, 'us-east-1').oidc,
    'https://oidc.us-east-1.amazonaws.com',
  );
});
