// How rolehop reads chains where other tools could read them otherwise: a
// source profile with credentials of its own, keys other tools act on, the
// mfa_process of a target and of its source, and a source_profile skipped
// for want of role_arn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRolehopError } from '../errors.js';
import { buildConfig } from './load-config.js';
import { parseIni } from './parse-ini.js';
import { resolvePlan } from './resolve-plan.js';

const HUB = 'arn:aws:iam::222222222222:role/Hub';
const APP = 'arn:aws:iam::333333333333:role/App';
const MFA = 'arn:aws:iam::111111111111:mfa/alice';

function plan(ini: string, profile: string, stored: string[] = []) {
  const keys = new Set(stored);
  return resolvePlan(buildConfig(parseIni(ini, 'cfg'), 'cfg'), profile, {}, {}, { userName: 't', hasStoredKey: (p) => keys.has(p) });
}

const chain = (base: string) => `[profile root]\n[profile base]\nrole_arn = ${HUB}\n${base}\n[profile app]\nrole_arn = ${APP}\nsource_profile = base\n`;

test('a source profile with a stored key ends the chain there, its role_arn not assumed (as botocore and SDK v3 read static keys)', () => {
  const p = plan(chain('source_profile = root'), 'app', ['base', 'root']);
  assert.deepEqual(p.source, { kind: 'stored-key', profile: 'base' });
  assert.deepEqual(
    p.hops.map((h) => h.roleArn),
    [APP],
  );
  assert.match(p.warnings.join('\n'), /Profile "base": its role_arn is not assumed: as the source_profile of "app" it has a stored key of its own/);
});

test('a self-referencing source profile reached from another profile also ends with its key', () => {
  const p = plan(chain('source_profile = base'), 'app', ['base']);
  assert.deepEqual(p.source, { kind: 'stored-key', profile: 'base' });
  assert.equal(p.hops.length, 1);
});

test('the target itself still assumes its role from its own key (source_profile = itself)', () => {
  const p = plan(chain('source_profile = base'), 'base', ['base']);
  assert.deepEqual(p.source, { kind: 'stored-key', profile: 'base' });
  assert.deepEqual(
    p.hops.map((h) => h.roleArn),
    [HUB],
  );
  assert.deepEqual(p.warnings, []);
});

test('a source profile with credential_process and role_arn but nothing to assume it with uses the process (SDK v3), where rolehop used to fail', () => {
  const p = plan(chain('credential_process = get-creds'), 'app');
  assert.deepEqual(p.source, { kind: 'process', profile: 'base', command: 'get-creds' });
  assert.equal(p.hops.length, 1);
  assert.match(p.warnings.join('\n'), /"base": its role_arn is not assumed: .* a credential_process and no source_profile or credential_source/);
});

test('a source profile with credential_process, role_arn and source_profile assumes its role, as both SDKs do', () => {
  const p = plan(chain('credential_process = get-creds\nsource_profile = root'), 'app', ['root']);
  assert.deepEqual(p.source, { kind: 'stored-key', profile: 'root' });
  assert.deepEqual(
    p.hops.map((h) => h.roleArn),
    [HUB, APP],
  );
});

test('keys other tools act on are named in a warning', () => {
  const ini = `[profile base]\ninclude_profile = common\n[profile app]\nrole_arn = ${APP}\nsource_profile = base\nparent_profile = x\nweb_identity_token_process = get-token\nsso_start_url = https://x.awsapps.com/start\n`;
  const w = plan(ini, 'app', ['base']).warnings.join('\n');
  for (const key of ['include_profile', 'parent_profile', 'web_identity_token_process', 'sso_start_url'])
    assert.match(w, new RegExp(`"${key}" is ignored by rolehop`), key);
  assert.match(w, /Profile "base": "include_profile" is ignored by rolehop \(aws-vault merges the named profile into this one\)/);
});

test("the target's own mfa_process wins over its source's; one naming another serial does not", () => {
  const ini = `[profile alice]\nmfa_serial = ${MFA}\nmfa_process = source-code\n[profile app]\nrole_arn = ${APP}\nsource_profile = alice\nmfa_process = target-code\n[profile other]\nrole_arn = ${APP}\nsource_profile = alice\nmfa_serial = arn:aws:iam::111111111111:mfa/other\nmfa_process = other-code\n[profile same]\nrole_arn = ${APP}\nsource_profile = alice\nmfa_serial = ${MFA}\nmfa_process = same-code\n`;
  assert.equal(plan(ini, 'app', ['alice']).session?.mfaProcess, 'target-code');
  assert.equal(plan(ini, 'same', ['alice']).session?.mfaProcess, 'same-code');
  assert.equal(plan(ini, 'other', ['alice']).session?.mfaProcess, 'source-code');
  assert.equal(plan(ini, 'alice', ['alice']).session?.mfaProcess, 'source-code');
});

test('a source_profile skipped for want of role_arn is named in the error it leads to', () => {
  const ini = `[profile alice]\n[profile lone]\nsource_profile = alice\nregion = x\n`;
  assert.throws(
    () => plan(ini, 'lone', ['alice']),
    (e: unknown) =>
      isRolehopError(e) &&
      e.code === 'ERR_NO_STORED_KEY' &&
      /its source_profile is ignored: the profile has no role_arn/.test(e.message) &&
      /add role_arn to assume a role from source_profile "alice"/.test(e.hint ?? ''),
  );
});

test('a name with spaces typed unquoted gets a hint to quote it', () => {
  assert.throws(
    () => plan('[profile "team prod"]\n', 'team'),
    (e: unknown) => isRolehopError(e) && e.code === 'ERR_PROFILE_NOT_FOUND' && /Did you mean "team prod"\? Quote a name with spaces/.test(e.hint ?? ''),
  );
});
