// Over 300 lines: one table of resolution cases for resolvePlan, kept in one file so each rule of its doc comment has its case beside the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRolehopError, type ErrorCode } from '../errors.js';
import type { AwsConfig } from './aws-config.js';
import { buildConfig } from './load-config.js';
import { parseIni } from './parse-ini.js';
import { DEFAULT_SESSION_SECONDS, type Plan, type PlanOptions } from './plan.js';
import { defaultRoleSessionName, resolvePlan } from './resolve-plan.js';

const PATH = '/home/t/.aws/config';
const config = (ini: string): AwsConfig => buildConfig(parseIni(ini, PATH), PATH);

const MFA_ALICE = 'arn:aws:iam::111111111111:mfa/alice';
const HUB = 'arn:aws:iam::222222222222:role/Hub';
const ADMIN = 'arn:aws:iam::333333333333:role/team/Admin';
const RSN = 'rolehop-tester';

/** A hub-and-spoke config used by most cases. */
const BASE = `
[profile alice]
mfa_serial = ${MFA_ALICE}
region = eu-west-1

[profile hub]
role_arn = ${HUB}
source_profile = alice

[profile prod]
role_arn = ${ADMIN}
source_profile = hub
external_id = ext-123
duration_seconds = 1800
region = us-east-2

[profile bob]

[profile bob-role]
role_arn = ${HUB}
source_profile = bob
mfa_serial = arn:aws:iam::111111111111:mfa/bob
mfa_process = ykman oath accounts code -s bob

[profile bob-deep]
role_arn = ${ADMIN}
source_profile = bob-hub

[profile bob-hub]
role_arn = ${HUB}
source_profile = bob

[profile bob-deep-mfa]
role_arn = ${ADMIN}
source_profile = bob-hub
mfa_serial = arn:aws:iam::111111111111:mfa/bob
`;

interface Case {
  name: string;
  ini?: string;
  profile: string;
  opts?: PlanOptions;
  env?: Record<string, string>;
  stored?: string[];
  userName?: string;
  /** Expected plan minus `profile` (filled in) and `endpoints` (default {}). */
  plan?: Omit<Plan, 'profile' | 'endpoints'> & { endpoints?: Plan['endpoints'] };
  error?: { code: ErrorCode; message: RegExp; hint?: RegExp };
}

const hop = (profile: string, roleArn: string, extra: Partial<Plan['hops'][number]> = {}) => ({
  profile,
  roleArn,
  roleSessionName: RSN,
  durationSeconds: 3600,
  ...extra,
});
const stored = (profile: string) => ({ kind: 'stored-key' as const, profile });

const cases: Case[] = [
  // --- MFA session sharing --------------------------------------------------
  {
    name: 'depth 1, MFA on the source: one MFA session, then a chained hop',
    profile: 'hub',
    stored: ['alice'],
    plan: {
      region: 'eu-west-1',
      source: stored('alice'),
      session: { profile: 'alice', mfaSerial: MFA_ALICE, durationSeconds: DEFAULT_SESSION_SECONDS },
      hops: [hop('hub', HUB)],
      warnings: [],
    },
  },
  {
    name: 'depth 2, MFA on the source: hops carry no MFA, per-hop external_id and duration',
    profile: 'prod',
    stored: ['alice'],
    plan: {
      region: 'us-east-2',
      source: stored('alice'),
      session: { profile: 'alice', mfaSerial: MFA_ALICE, durationSeconds: DEFAULT_SESSION_SECONDS },
      hops: [hop('hub', HUB), hop('prod', ADMIN, { externalId: 'ext-123', durationSeconds: 1800 })],
      warnings: [],
    },
  },
  {
    name: 'depth 1, MFA (and mfa_process) on the role profile moves to the session',
    profile: 'bob-role',
    stored: ['bob'],
    plan: {
      source: stored('bob'),
      session: {
        profile: 'bob',
        mfaSerial: 'arn:aws:iam::111111111111:mfa/bob',
        mfaProcess: 'ykman oath accounts code -s bob',
        durationSeconds: DEFAULT_SESSION_SECONDS,
      },
      hops: [hop('bob-role', HUB)],
      warnings: [],
    },
  },
  {
    name: 'depth 2, MFA on the final role profile still gives one session',
    profile: 'bob-deep-mfa',
    stored: ['bob'],
    plan: {
      source: stored('bob'),
      session: { profile: 'bob', mfaSerial: 'arn:aws:iam::111111111111:mfa/bob', durationSeconds: DEFAULT_SESSION_SECONDS },
      hops: [hop('bob-hub', HUB), hop('bob-deep-mfa', ADMIN)],
      warnings: [],
    },
  },
  {
    name: 'the serial nearest the source wins; a different one further up is reported',
    ini: BASE + `\n[profile other]\nrole_arn = ${ADMIN}\nsource_profile = hub\nmfa_serial = arn:aws:iam::999999999999:mfa/x\n`,
    profile: 'other',
    stored: ['alice'],
    plan: {
      region: 'eu-west-1',
      source: stored('alice'),
      session: { profile: 'alice', mfaSerial: MFA_ALICE, durationSeconds: DEFAULT_SESSION_SECONDS },
      hops: [hop('hub', HUB), hop('other', ADMIN)],
      warnings: [`Profile "other": mfa_serial arn:aws:iam::999999999999:mfa/x is not used; rolehop asks once, for ${MFA_ALICE} (from profile "alice").`],
    },
  },
  {
    name: 'session_duration on the source sets the MFA session length',
    ini: `[profile k]\nmfa_serial = ${MFA_ALICE}\nsession_duration = 43200\n[profile r]\nrole_arn = ${HUB}\nsource_profile = k\n`,
    profile: 'r',
    stored: ['k'],
    plan: { source: stored('k'), session: { profile: 'k', mfaSerial: MFA_ALICE, durationSeconds: 43200 }, hops: [hop('r', HUB)], warnings: [] },
  },
  // --- > 1 h and capping ----------------------------------------------------
  {
    name: 'first hop asking > 1 h (duration_seconds): no session, direct AssumeRole with MFA',
    ini: `[profile k]\nmfa_serial = ${MFA_ALICE}\n[profile long]\nrole_arn = ${HUB}\nsource_profile = k\nduration_seconds = 28800\n`,
    profile: 'long',
    stored: ['k'],
    plan: { source: stored('k'), hops: [hop('long', HUB, { durationSeconds: 28800, mfaSerial: MFA_ALICE })], warnings: [] },
  },
  {
    name: 'single hop asking > 1 h through --duration: direct AssumeRole with MFA',
    profile: 'hub',
    opts: { durationSeconds: 7200 },
    stored: ['alice'],
    plan: { region: 'eu-west-1', source: stored('alice'), hops: [hop('hub', HUB, { durationSeconds: 7200, mfaSerial: MFA_ALICE })], warnings: [] },
  },
  {
    name: '--duration > 1 h on a two-hop plan: session kept, final hop capped with a warning',
    profile: 'prod',
    opts: { durationSeconds: 7200 },
    stored: ['alice'],
    plan: {
      region: 'us-east-2',
      source: stored('alice'),
      session: { profile: 'alice', mfaSerial: MFA_ALICE, durationSeconds: DEFAULT_SESSION_SECONDS },
      hops: [hop('hub', HUB), hop('prod', ADMIN, { externalId: 'ext-123' })],
      warnings: ['Profile "prod": duration 7200s capped to 3600s, because AWS limits a role assumed with temporary credentials (role chaining) to 1 hour.'],
    },
  },
  {
    name: 'a long first hop of a two-hop plan goes direct with MFA; the second hop is capped',
    ini: `[profile k]\nmfa_serial = ${MFA_ALICE}\n[profile a]\nrole_arn = ${HUB}\nsource_profile = k\nduration_seconds = 14400\n[profile b]\nrole_arn = ${ADMIN}\nsource_profile = a\nduration_seconds = 7200\n`,
    profile: 'b',
    stored: ['k'],
    plan: {
      source: stored('k'),
      hops: [hop('a', HUB, { durationSeconds: 14400, mfaSerial: MFA_ALICE }), hop('b', ADMIN)],
      warnings: ['Profile "b": duration 7200s capped to 3600s, because AWS limits a role assumed with temporary credentials (role chaining) to 1 hour.'],
    },
  },
  {
    name: 'no MFA anywhere: no session, the first hop uses the long-lived key (may exceed 1 h), later hops capped',
    ini: `[profile k]\n[profile a]\nrole_arn = ${HUB}\nsource_profile = k\nduration_seconds = 14400\n[profile b]\nrole_arn = ${ADMIN}\nsource_profile = a\nduration_seconds = 7200\n`,
    profile: 'b',
    stored: ['k'],
    plan: {
      source: stored('k'),
      hops: [hop('a', HUB, { durationSeconds: 14400 }), hop('b', ADMIN)],
      warnings: ['Profile "b": duration 7200s capped to 3600s, because AWS limits a role assumed with temporary credentials (role chaining) to 1 hour.'],
    },
  },
  {
    name: 'no MFA, depth 2 at defaults: nothing to cap, no warning',
    profile: 'bob-deep',
    stored: ['bob'],
    plan: { source: stored('bob'), hops: [hop('bob-hub', HUB), hop('bob-deep', ADMIN)], warnings: [] },
  },
  {
    name: '--no-session with MFA and a role: the first hop sends the MFA',
    profile: 'prod',
    opts: { noSession: true },
    stored: ['alice'],
    plan: {
      region: 'us-east-2',
      source: stored('alice'),
      hops: [hop('hub', HUB, { mfaSerial: MFA_ALICE }), hop('prod', ADMIN, { externalId: 'ext-123', durationSeconds: 1800 })],
      warnings: [],
    },
  },
  // --- plain key profiles ---------------------------------------------------
  {
    name: 'plain key profile with MFA: an MFA session, never the long-lived key',
    profile: 'alice',
    stored: ['alice'],
    plan: {
      region: 'eu-west-1',
      source: stored('alice'),
      session: { profile: 'alice', mfaSerial: MFA_ALICE, durationSeconds: DEFAULT_SESSION_SECONDS },
      hops: [],
      warnings: [],
    },
  },
  {
    name: 'plain key profile without MFA: a session without MFA; --duration sets its length',
    profile: 'bob',
    opts: { durationSeconds: 3600 },
    stored: ['bob'],
    plan: { source: stored('bob'), session: { profile: 'bob', durationSeconds: 3600 }, hops: [], warnings: [] },
  },
  {
    name: 'plain key profile with --no-session: the key itself; unused mfa_serial reported',
    profile: 'alice',
    opts: { noSession: true },
    stored: ['alice'],
    plan: {
      region: 'eu-west-1',
      source: stored('alice'),
      hops: [],
      warnings: ['Profile "alice": mfa_serial is not used with --no-session: no STS call of this plan can send it.'],
    },
  },
  {
    name: 'a profile only in the vault is a plain key profile',
    ini: '',
    profile: 'vault-only',
    stored: ['vault-only'],
    plan: { source: stored('vault-only'), session: { profile: 'vault-only', durationSeconds: DEFAULT_SESSION_SECONDS }, hops: [], warnings: [] },
  },
  {
    name: 'plain-text keys in the config next to a stored key: ignored, with a warning',
    ini: '[profile k]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s3cr3t\n',
    profile: 'k',
    opts: { noSession: true },
    stored: ['k'],
    plan: {
      source: stored('k'),
      hops: [],
      warnings: [`Profile "k": the access key in ${PATH} is ignored; rolehop uses the key in its vault. Delete the key lines from the file.`],
    },
  },
  // --- environment and process sources ---------------------------------------
  {
    name: 'credential_source = Environment: no session, MFA on the first hop',
    ini: `[profile ci]\nrole_arn = ${HUB}\ncredential_source = Environment\nmfa_serial = ${MFA_ALICE}\n[profile ci2]\nrole_arn = ${ADMIN}\nsource_profile = ci\n`,
    profile: 'ci2',
    plan: { source: { kind: 'environment', profile: 'ci' }, hops: [hop('ci', HUB, { mfaSerial: MFA_ALICE }), hop('ci2', ADMIN)], warnings: [] },
  },
  {
    name: 'credential_source without role_arn: environment credentials directly (SDK v3)',
    ini: '[profile e]\ncredential_source = Environment\n',
    profile: 'e',
    plan: { source: { kind: 'environment', profile: 'e' }, hops: [], warnings: [] },
  },
  {
    name: 'credential_process source (wins over a stored key): no session, MFA and mfa_process on the first hop',
    ini: `[profile p]\ncredential_process = /usr/bin/creds --json\nmfa_serial = ${MFA_ALICE}\nmfa_process = otp alice\n[profile r]\nrole_arn = ${HUB}\nsource_profile = p\nduration_seconds = 7200\n`,
    profile: 'r',
    stored: ['p'],
    plan: {
      source: { kind: 'process', profile: 'p', command: '/usr/bin/creds --json' },
      hops: [hop('r', HUB, { durationSeconds: 7200, mfaSerial: MFA_ALICE, mfaProcess: 'otp alice' })],
      warnings: [],
    },
  },
  {
    name: 'credential_process profile on its own',
    ini: '[profile p]\ncredential_process = creds\n',
    profile: 'p',
    plan: { source: { kind: 'process', profile: 'p', command: 'creds' }, hops: [], warnings: [] },
  },
  // --- self-reference -------------------------------------------------------
  {
    name: "self-reference: the profile's own stored key, then its role (with MFA session)",
    ini: `[profile self]\nrole_arn = ${HUB}\nsource_profile = self\nmfa_serial = ${MFA_ALICE}\nregion = ap-south-1\n`,
    profile: 'self',
    stored: ['self'],
    plan: {
      region: 'ap-south-1',
      source: stored('self'),
      session: { profile: 'self', mfaSerial: MFA_ALICE, durationSeconds: DEFAULT_SESSION_SECONDS },
      hops: [hop('self', HUB)],
      warnings: [],
    },
  },
  {
    name: 'self-reference inside a chain, with credential_process',
    ini: `[profile mid]\nrole_arn = ${HUB}\nsource_profile = mid\ncredential_process = creds\n[profile top]\nrole_arn = ${ADMIN}\nsource_profile = mid\n`,
    profile: 'top',
    plan: { source: { kind: 'process', profile: 'mid', command: 'creds' }, hops: [hop('mid', HUB), hop('top', ADMIN)], warnings: [] },
  },
  {
    name: 'self-reference without a stored key',
    ini: `[profile self]\nrole_arn = ${HUB}\nsource_profile = self\n`,
    profile: 'self',
    error: { code: 'ERR_NO_STORED_KEY', message: /"self" has no stored key/, hint: /rolehop add self/ },
  },
  // --- role session names ----------------------------------------------------
  {
    name: 'configured role_session_name is used; the default is sanitised',
    ini: `[profile k]\n[profile a]\nrole_arn = ${HUB}\nsource_profile = k\n[profile b]\nrole_arn = ${ADMIN}\nsource_profile = a\nrole_session_name = ops@example.com\n`,
    profile: 'b',
    stored: ['k'],
    userName: 'Jane Doe/ü',
    plan: {
      source: stored('k'),
      hops: [hop('a', HUB, { roleSessionName: 'rolehop-Jane-Doe--' }), hop('b', ADMIN, { roleSessionName: 'ops@example.com' })],
      warnings: [],
    },
  },
  // --- errors: chain ------------------------------------------------------------
  {
    name: 'cycle of two',
    ini: `[profile a]\nrole_arn = ${HUB}\nsource_profile = b\n[profile b]\nrole_arn = ${HUB}\nsource_profile = a\n`,
    profile: 'a',
    error: { code: 'ERR_PROFILE_CYCLE', message: /a -> b -> a$/, hint: /source_profile/ },
  },
  {
    name: 'cycle of three, entered from outside',
    ini: `[profile x]\nrole_arn = ${HUB}\nsource_profile = a\n[profile a]\nrole_arn = ${HUB}\nsource_profile = b\n[profile b]\nrole_arn = ${HUB}\nsource_profile = c\n[profile c]\nrole_arn = ${HUB}\nsource_profile = a\n`,
    profile: 'x',
    error: { code: 'ERR_PROFILE_CYCLE', message: /x -> a -> b -> c -> a$/ },
  },
  {
    name: 'unknown profile, with close names suggested',
    profile: 'hubb',
    error: { code: 'ERR_PROFILE_NOT_FOUND', message: /Profile "hubb" not found in \/home\/t\/\.aws\/config/, hint: /Did you mean "hub"/ },
  },
  {
    name: 'unknown profile, nothing close',
    profile: 'zzzzzzzz',
    error: { code: 'ERR_PROFILE_NOT_FOUND', message: /"zzzzzzzz" not found/, hint: /rolehop add zzzzzzzz/ },
  },
  {
    name: 'unknown source_profile names the referring profile',
    ini: `[profile r]\nrole_arn = ${HUB}\nsource_profile = alcie\n[profile alice]\n`,
    profile: 'r',
    error: { code: 'ERR_PROFILE_NOT_FOUND', message: /"alcie" \(source_profile of "r"\)/, hint: /"alice"/ },
  },
  {
    name: 'missing stored key',
    profile: 'hub',
    error: { code: 'ERR_NO_STORED_KEY', message: /"alice" has no stored key/, hint: /`rolehop add alice`/ },
  },
  {
    name: 'plain-text keys without a stored key',
    ini: '[profile k]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s3cr3t\n',
    profile: 'k',
    error: { code: 'ERR_PROFILE_INVALID', message: /plain-text access key/, hint: /rolehop add k --env/ },
  },
  {
    name: 'SSO profile whose sso-session is missing',
    ini: '[profile s]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n',
    profile: 's',
    error: { code: 'ERR_PROFILE_NOT_FOUND', message: /no \[sso-session corp\] section/, hint: /sso_start_url and sso_region/ },
  },
  {
    name: 'SSO profile without sso_role_name',
    ini: '[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = eu-west-1\n[profile s]\nsso_session = corp\nsso_account_id = 123456789012\n',
    profile: 's',
    error: { code: 'ERR_PROFILE_INVALID', message: /signs in with IAM Identity Center but has no sso_role_name/, hint: /sso_role_name = ROLE/ },
  },
  {
    name: 'SSO profile: the session, the account and the role, no STS step',
    ini: '[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = eu-west-1\n[profile s]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n',
    profile: 's',
    plan: {
      source: {
        kind: 'sso',
        profile: 's',
        session: {
          name: 'corp',
          legacy: false,
          startUrl: 'https://d-1.awsapps.com/start',
          region: 'eu-west-1',
          scopes: ['sso:account:access'],
          origin: `[sso-session corp] in ${PATH}`,
        },
        accountId: '123456789012',
        roleName: 'Admin',
      },
      hops: [],
      warnings: [],
    },
  },
  // --- errors: malformed values ------------------------------------------------
  ...[
    'arn:aws:iam::12345678901:role/X',
    'arn:aws:iam::123456789012:user/X',
    'arn:aws:sts::123456789012:role/X',
    'arn:aws-xx:iam::123456789012:role/X',
    'arn:aws:iam::123456789012:role/',
    'arn:aws:iam::123456789012:role/has space',
    'role/X',
  ].map((arn): Case => ({
    name: `malformed role_arn ${arn}`,
    ini: `[profile k]\n[profile r]\nrole_arn = ${arn}\nsource_profile = k\n`,
    profile: 'r',
    stored: ['k'],
    error: { code: 'ERR_PROFILE_INVALID', message: /role_arn .* is not an IAM role ARN/, hint: /arn:aws:iam::123456789012:role\/NAME/ },
  })),
  ...(
    [
      ['mfa_serial = short', /mfa_serial/],
      ['mfa_serial = arn:aws:iam::1:mfa/has space', /mfa_serial/],
      ['duration_seconds = 1h', /duration_seconds "1h"/],
      ['duration_seconds = 899', /duration_seconds "899"/],
      ['duration_seconds = 43201', /duration_seconds "43201"/],
      ['role_session_name = a', /role_session_name/],
      ['role_session_name = has space', /role_session_name/],
      ['external_id = x', /external_id/],
      ['external_id = has space', /external_id/],
      ['credential_source = Environment', /both source_profile and credential_source/],
    ] as const
  ).map(([line, message]): Case => ({
    name: `invalid value: ${line}`,
    ini: `[profile k]\n[profile r]\nrole_arn = ${HUB}\nsource_profile = k\n${line}\n`,
    profile: 'r',
    stored: ['k'],
    error: { code: 'ERR_PROFILE_INVALID', message },
  })),
  {
    name: 'invalid session_duration on the source',
    ini: `[profile k]\nsession_duration = 200000\n`,
    profile: 'k',
    stored: ['k'],
    error: { code: 'ERR_PROFILE_INVALID', message: /session_duration "200000" .* 900 to 129600/ },
  },
  {
    name: 'role_arn with neither source_profile nor credential_source',
    ini: `[profile r]\nrole_arn = ${HUB}\n`,
    profile: 'r',
    error: { code: 'ERR_PROFILE_INVALID', message: /neither source_profile nor credential_source/, hint: /source_profile = r/ },
  },
  {
    name: 'credential_source is case-sensitive',
    ini: `[profile r]\nrole_arn = ${HUB}\ncredential_source = environment\n`,
    profile: 'r',
    error: { code: 'ERR_PROFILE_INVALID', message: /not one of Environment, Ec2InstanceMetadata, EcsContainer/ },
  },
  {
    name: '--duration out of range',
    profile: 'hub',
    opts: { durationSeconds: 50000 },
    stored: ['alice'],
    error: { code: 'ERR_USAGE', message: /50000s is out of range/, hint: /900 to 43200/ },
  },
  // --- region -------------------------------------------------------------------
  {
    name: 'region: --region beats everything',
    profile: 'prod',
    opts: { region: 'sa-east-1' },
    env: { AWS_REGION: 'ca-central-1' },
    stored: ['alice'],
    plan: {
      region: 'sa-east-1',
      source: stored('alice'),
      session: { profile: 'alice', mfaSerial: MFA_ALICE, durationSeconds: DEFAULT_SESSION_SECONDS },
      hops: [hop('hub', HUB), hop('prod', ADMIN, { externalId: 'ext-123', durationSeconds: 1800 })],
      warnings: [],
    },
  },
  ...(
    [
      [
        'target region beats the chain and env',
        `[profile k]\nregion = k-region\n[profile m]\nrole_arn = ${HUB}\nsource_profile = k\nregion = m-region\n[profile t]\nrole_arn = ${ADMIN}\nsource_profile = m\nregion = t-region\n`,
        { AWS_REGION: 'env-region' },
        't-region',
      ],
      [
        'nearest in the chain (the middle) beats the source',
        `[profile k]\nregion = k-region\n[profile m]\nrole_arn = ${HUB}\nsource_profile = k\nregion = m-region\n[profile t]\nrole_arn = ${ADMIN}\nsource_profile = m\n`,
        { AWS_REGION: 'env-region' },
        'm-region',
      ],
      [
        'the source when nothing nearer',
        `[profile k]\nregion = k-region\n[profile m]\nrole_arn = ${HUB}\nsource_profile = k\n[profile t]\nrole_arn = ${ADMIN}\nsource_profile = m\n`,
        { AWS_REGION: 'env-region' },
        'k-region',
      ],
      [
        'AWS_REGION before AWS_DEFAULT_REGION',
        `[profile k]\n[profile m]\nrole_arn = ${HUB}\nsource_profile = k\n[profile t]\nrole_arn = ${ADMIN}\nsource_profile = m\n`,
        { AWS_REGION: 'env-region', AWS_DEFAULT_REGION: 'default-region' },
        'env-region',
      ],
      [
        'AWS_DEFAULT_REGION last',
        `[profile k]\n[profile m]\nrole_arn = ${HUB}\nsource_profile = k\n[profile t]\nrole_arn = ${ADMIN}\nsource_profile = m\n`,
        { AWS_REGION: '', AWS_DEFAULT_REGION: 'default-region' },
        'default-region',
      ],
      ['none at all', `[profile k]\n[profile m]\nrole_arn = ${HUB}\nsource_profile = k\n[profile t]\nrole_arn = ${ADMIN}\nsource_profile = m\n`, {}, undefined],
    ] as const
  ).map(([name, ini, env, region]): Case => ({
    name: `region: ${name}`,
    ini,
    profile: 't',
    env,
    stored: ['k'],
    plan: { ...(region ? { region } : {}), source: stored('k'), hops: [hop('m', HUB), hop('t', ADMIN)], warnings: [] },
  })),
];

for (const c of cases) {
  test(`plan: ${c.name}`, () => {
    const keys = new Set(c.stored ?? []);
    const run = () =>
      resolvePlan(config(c.ini ?? BASE), c.profile, c.opts ?? {}, c.env ?? {}, { userName: c.userName ?? 'tester', hasStoredKey: (p) => keys.has(p) });
    if (c.error) {
      const want = c.error;
      assert.throws(run, (e: unknown) => {
        assert.ok(isRolehopError(e), String(e));
        assert.equal(e.code, want.code, e.message);
        assert.match(e.message, want.message);
        assert.ok(e.hint, 'every error has a hint');
        if (want.hint) assert.match(e.hint, want.hint);
        return true;
      });
      return;
    }
    const { endpoints = {}, ...rest } = c.plan!;
    assert.deepEqual(run(), { profile: c.profile, ...rest, endpoints });
  });
}

// --- endpoints -------------------------------------------------------------------
const EP_INI = `
[profile k]
services = local
endpoint_url = http://profile:1

[profile bare]
endpoint_url = http://profile:1

[profile none]

[profile broken]
services = nope

[profile badurl]
endpoint_url = localhost:4566

[profile ignoring]
endpoint_url = http://profile:1
ignore_configured_endpoint_urls = true

[services local]
sts =
  endpoint_url = http://svc-sts:1
iam =
  endpoint_url = http://svc-iam:1
`;

const endpointCases: Array<{ name: string; profile: string; env?: Record<string, string>; want?: Plan['endpoints']; error?: RegExp }> = [
  {
    name: '[services] sub-keys beat the profile endpoint_url',
    profile: 'k',
    want: { sts: 'http://svc-sts:1', iam: 'http://svc-iam:1', organizations: 'http://profile:1' },
  },
  {
    name: 'profile endpoint_url alone applies to every service',
    profile: 'bare',
    want: { sts: 'http://profile:1', iam: 'http://profile:1', organizations: 'http://profile:1' },
  },
  { name: 'nothing configured', profile: 'none', want: {} },
  {
    name: 'AWS_ENDPOINT_URL beats the config; per-service variables beat it',
    profile: 'k',
    env: {
      AWS_ENDPOINT_URL: 'http://all:1',
      AWS_ENDPOINT_URL_STS: 'http://env-sts:1',
      AWS_ENDPOINT_URL_ORGANIZATIONS: 'http://env-org:1',
      AWS_ENDPOINT_URL_IAM: '',
    },
    want: { sts: 'http://env-sts:1', iam: 'http://all:1', organizations: 'http://env-org:1' },
  },
  {
    name: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true disables env and config',
    profile: 'k',
    env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'TRUE', AWS_ENDPOINT_URL_STS: 'http://env-sts:1' },
    want: {},
  },
  { name: 'profile ignore_configured_endpoint_urls = true', profile: 'ignoring', env: { AWS_ENDPOINT_URL: 'http://all:1' }, want: {} },
  {
    name: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false overrides the profile setting',
    profile: 'ignoring',
    env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' },
    want: { sts: 'http://profile:1', iam: 'http://profile:1', organizations: 'http://profile:1' },
  },
  { name: 'services naming a missing section', profile: 'broken', error: /no \[services nope\] section/ },
  { name: 'an endpoint that is not an http(s) URL', profile: 'badurl', error: /"localhost:4566" from endpoint_url .* not an http\(s\) URL/ },
];

for (const c of endpointCases) {
  test(`endpoints: ${c.name}`, () => {
    const run = () => resolvePlan(config(EP_INI), c.profile, {}, c.env ?? {}, { userName: 't', hasStoredKey: () => true }).endpoints;
    if (c.error) assert.throws(run, (e: unknown) => isRolehopError(e) && e.code === 'ERR_PROFILE_INVALID' && c.error!.test(e.message) && !!e.hint);
    else assert.deepEqual(run(), c.want);
  });
}

test('endpoints come from the target profile, not the source', () => {
  const ini = `[profile k]\nendpoint_url = http://source:1\n[profile r]\nrole_arn = ${HUB}\nsource_profile = k\nendpoint_url = http://target:1\n`;
  const plan = resolvePlan(config(ini), 'r', {}, {}, { userName: 't', hasStoredKey: () => true });
  assert.equal(plan.endpoints.sts, 'http://target:1');
});

test('defaultRoleSessionName is deterministic, sanitised and at most 64 characters', () => {
  assert.equal(defaultRoleSessionName('alice'), 'rolehop-alice');
  assert.equal(defaultRoleSessionName('DOMAIN\\bob smith'), 'rolehop-DOMAIN-bob-smith');
  assert.equal(defaultRoleSessionName('x'.repeat(100)).length, 64);
  assert.equal(defaultRoleSessionName(''), 'rolehop-');
});

test('resolvePlan does not mutate the config', () => {
  const c = config(BASE);
  const before = JSON.stringify([...c.profiles]);
  resolvePlan(c, 'prod', { durationSeconds: 7200 }, {}, { userName: 't', hasStoredKey: () => true });
  assert.equal(JSON.stringify([...c.profiles]), before);
});
