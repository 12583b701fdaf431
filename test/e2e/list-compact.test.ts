// `rolehop list` as a user reads it: one line per profile, the region a role
// inherits, SSO profiles called sso, and the README quickstart's commented
// headers accepted.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { ensureBuilt, runCli } from '../helpers/run-cli.js';

const N = 40;
const KEY = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

describe('list on a terminal', () => {
  let box: Sandbox;
  let env: Record<string, string>;

  before(async () => {
    await ensureBuilt();
    box = await makeSandbox();
    env = box.env();
    const roles = Array.from(
      { length: N },
      (_, i) => `[profile p${i}]   # account ${i}\nrole_arn = arn:aws:iam::111111111111:role/R${i}\nsource_profile = me\n`,
    );
    box.writeConfig(
      [
        '[profile me]   # my IAM user',
        'region = eu-west-1',
        'mfa_serial = arn:aws:iam::111111111111:mfa/me',
        '[profile corp] ; IAM Identity Center',
        'sso_session = corp',
        'sso_account_id = 222222222222',
        'sso_role_name = ReadOnly',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        ...roles,
      ].join('\n'),
    );
    const r = await runCli(['add', 'me', '--env'], { env: { ...env, ...KEY }, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => box?.cleanup());

  it('prints one line per profile, with the inherited region and kind sso', async () => {
    const r = await runCli(['list'], { env, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    const profiles = r.stdout.slice(0, r.stdout.indexOf('\nStored keys'));
    const profileCount = N + 2;
    // "Profiles", the top border, the header, its rule, the bottom border.
    assert.equal(profiles.trimEnd().split('\n').length, profileCount + 5, profiles);
    assert.match(profiles, /^│ p7 +│ role +│ 111111111111 R7 +│ me +│ eu-west-1 \(from me\) +│ - +│ - +│ - +│$/m);
    assert.match(profiles, /^│ me +│ key +│ - +│ - +│ eu-west-1 +│ yes +│ yes +│ - +│$/m);
    assert.match(profiles, /^│ corp +│ sso +│ 222222222222 ReadOnly +│/m);
    // The session lacks sso_region: listed as unusable, saying why, not a failed `list`.
    assert.match(r.stdout.slice(r.stdout.indexOf('\nSSO sessions')), /│ corp +│ - +│ - +│ unusable: .*sso_region/);
  });

  it('--json keeps its fields and gains the new ones', async () => {
    const r = await runCli(['list', '--json'], { env, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    const view = JSON.parse(r.stdout) as { profiles: Array<Record<string, unknown>> };
    const p7 = view.profiles.find((p) => p.name === 'p7');
    assert.deepEqual(p7, {
      name: 'p7',
      kind: 'role',
      roleArn: 'arn:aws:iam::111111111111:role/R7',
      accountId: '111111111111',
      roleName: 'R7',
      sourceProfile: 'me',
      effectiveRegion: 'eu-west-1',
      regionFrom: 'me',
      storedKey: false,
    });
    assert.equal(view.profiles.find((p) => p.name === 'corp')?.kind, 'sso');
  });
});
