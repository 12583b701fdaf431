// Plan resolution for the sources automation starts from: web identity
// (profile and environment forms), credential_source = EcsContainer /
// Ec2InstanceMetadata, and the implicit default's ambient credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRolehopError } from '../errors.js';
import type { AwsConfig } from './aws-config.js';
import { isAllowedContainerUrl } from './container-source.js';
import { buildConfig } from './load-config.js';
import { parseIni } from './parse-ini.js';
import type { Plan } from './plan.js';
import { resolvePlan, type PlanContext } from './resolve-plan.js';

const PATH = '/home/t/.aws/config';
const CI_ROLE = 'arn:aws:iam::111111111111:role/ci';
const ADMIN = 'arn:aws:iam::333333333333:role/Admin';
type Env = Record<string, string | undefined>;

function plan(ini: string, profile: string, env: Env = {}, ctx: Partial<PlanContext> = {}): Plan {
  const config: AwsConfig = buildConfig(parseIni(ini, PATH), PATH);
  return resolvePlan(config, profile, {}, env, { userName: 'tester', hasStoredKey: () => false, ...ctx });
}

function rejects(run: () => unknown, code: string, message: RegExp): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(isRolehopError(e), String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    assert.ok(e.hint, 'every error has a hint');
    return true;
  });
}

const WEB = `[profile ci]\nrole_arn = ${CI_ROLE}\nweb_identity_token_file = /var/run/oidc/token\nrole_session_name = gha-42\nduration_seconds = 1800\nregion = eu-west-1\n`;

test('a web identity profile is a source of its own: no hop, no GetSessionToken', () => {
  const p = plan(WEB, 'ci');
  assert.deepEqual(p.source, {
    kind: 'web-identity',
    profile: 'ci',
    roleArn: CI_ROLE,
    roleSessionName: 'gha-42',
    tokenFile: '/var/run/oidc/token',
    durationSeconds: 1800,
  });
  assert.deepEqual(p.hops, []);
  assert.equal(p.session, undefined);
  assert.equal(p.region, 'eu-west-1');
});

test('a web identity profile starts a source_profile chain; defaults for session name and duration', () => {
  const ini = `[profile ci]\nrole_arn = ${CI_ROLE}\nweb_identity_token_file = /t\n\n[profile admin]\nrole_arn = ${ADMIN}\nsource_profile = ci\n`;
  const p = plan(ini, 'admin');
  assert.equal(p.source.kind, 'web-identity');
  assert.deepEqual(p.source, {
    kind: 'web-identity',
    profile: 'ci',
    roleArn: CI_ROLE,
    roleSessionName: 'rolehop-tester',
    tokenFile: '/t',
    durationSeconds: 3600,
  });
  assert.deepEqual(
    p.hops.map((h) => h.roleArn),
    [ADMIN],
  );
  assert.equal(p.session, undefined);
});

test('a web identity profile with source_profile uses the token and says the source_profile is ignored', () => {
  const p = plan(`${WEB}source_profile = other\n`, 'ci');
  assert.equal(p.source.kind, 'web-identity');
  assert.match(p.warnings.join('\n'), /source_profile is ignored because the profile has web_identity_token_file/);
});

test('web identity refusals: no role_arn, a bad duration', () => {
  rejects(() => plan(`[profile ci]\nweb_identity_token_file = /t\n`, 'ci'), 'ERR_PROFILE_INVALID', /role_arn "" is not an IAM role ARN/);
  rejects(
    () => plan(`[profile ci]\nrole_arn = ${CI_ROLE}\nweb_identity_token_file = /t\nduration_seconds = 60\n`, 'ci'),
    'ERR_PROFILE_INVALID',
    /duration_seconds "60"/,
  );
});

test('credential_source = EcsContainer: the relative URI on 169.254.170.2, the token named by where it is', () => {
  const ini = `[profile task]\nrole_arn = ${ADMIN}\ncredential_source = EcsContainer\n`;
  const p = plan(ini, 'task', { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'secret-token' });
  assert.deepEqual(p.source, { kind: 'container', profile: 'task', url: 'http://169.254.170.2/v2/credentials/abc', authorization: { from: 'env' } });
  assert.ok(!JSON.stringify(p).includes('secret-token'), 'the plan never holds the token');
  assert.deepEqual(
    p.hops.map((h) => h.roleArn),
    [ADMIN],
  );
  assert.equal(p.session, undefined);
});

test('EcsContainer: RELATIVE_URI wins over FULL_URI, the token file over the token', () => {
  const ini = `[profile task]\ncredential_source = EcsContainer\n`;
  const env = {
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/rel',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/full',
    AWS_CONTAINER_AUTHORIZATION_TOKEN: 'x',
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/var/run/token',
  };
  assert.deepEqual(plan(ini, 'task', env).source, {
    kind: 'container',
    profile: 'task',
    url: 'http://169.254.170.2/rel',
    authorization: { from: 'file', path: '/var/run/token' },
  });
  const full = plan(ini, 'task', { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/full' }).source;
  assert.deepEqual(full, { kind: 'container', profile: 'task', url: 'http://127.0.0.1:9/full' });
});

test('EcsContainer refusals: FULL_URI to a host the SDKs refuse, no URI at all', () => {
  const ini = `[profile task]\nrole_arn = ${ADMIN}\ncredential_source = EcsContainer\n`;
  for (const url of [
    'http://example.com/creds',
    'http://10.0.0.5/creds',
    'http://169.254.169.254/creds',
    'http://localhost.localdomain/x',
    'ftp://127.0.0.1/x',
  ]) {
    rejects(() => plan(ini, 'task', { AWS_CONTAINER_CREDENTIALS_FULL_URI: url }), 'ERR_PROFILE_INVALID', /is not allowed for credentials/);
  }
  rejects(() => plan(ini, 'task', { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'not a url' }), 'ERR_PROFILE_INVALID', /is not a URL/);
  rejects(() => plan(ini, 'task', {}), 'ERR_PROFILE_INVALID', /neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI/);
});

test('container hosts: https anywhere; http to loopback and the ECS/EKS addresses only', () => {
  const ok = ['https://creds.example.com/x', 'http://127.0.0.1:8080/x', 'http://127.1.2.3/x', 'http://localhost/x', 'http://[::1]:9/x'];
  const eks = ['http://169.254.170.2/x', 'http://169.254.170.23/v1/credentials', 'http://[fd00:ec2::23]/x'];
  for (const u of [...ok, ...eks]) assert.ok(isAllowedContainerUrl(new URL(u)), u);
  for (const u of ['http://128.0.0.1/x', 'http://127.example/x', 'http://[::2]/x', 'http://metadata/x']) assert.ok(!isAllowedContainerUrl(new URL(u)), u);
});

test('credential_source = Ec2InstanceMetadata: the endpoint from the environment, the profile, or the mode', () => {
  const ini = `[profile ec2]\nrole_arn = ${ADMIN}\ncredential_source = Ec2InstanceMetadata\n`;
  assert.deepEqual(plan(ini, 'ec2').source, { kind: 'imds', profile: 'ec2', endpoint: 'http://169.254.169.254' });
  assert.deepEqual(plan(ini, 'ec2', { AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9099/ignored/path' }).source, {
    kind: 'imds',
    profile: 'ec2',
    endpoint: 'http://127.0.0.1:9099',
  });
  assert.deepEqual(plan(ini, 'ec2', { AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'IPv6' }).source, {
    kind: 'imds',
    profile: 'ec2',
    endpoint: 'http://[fd00:ec2::254]',
  });
  const own = plan(`[profile ec2]\ncredential_source = Ec2InstanceMetadata\nec2_metadata_service_endpoint = http://127.0.0.2:80\n`, 'ec2');
  assert.deepEqual(own.source, { kind: 'imds', profile: 'ec2', endpoint: 'http://127.0.0.2' });
  assert.deepEqual(own.hops, []);
  rejects(() => plan(ini, 'ec2', { AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'ipv5' }), 'ERR_PROFILE_INVALID', /mode "ipv5"/);
});

const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 's' };
const WEB_ENV = { AWS_WEB_IDENTITY_TOKEN_FILE: '/oidc/token', AWS_ROLE_ARN: CI_ROLE, AWS_ROLE_SESSION_NAME: 'run-7' };
const ECS_ENV = { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/c' };

test('the implicit default with nothing configured: the environment, in the SDK chain order', () => {
  const env = { AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' };
  assert.deepEqual(plan('', 'default', { ...env, ...KEYS, ...WEB_ENV, ...ECS_ENV }).source, { kind: 'environment', profile: 'default' });
  const web = plan('', 'default', { ...env, ...WEB_ENV, ...ECS_ENV });
  assert.deepEqual(web.source, {
    kind: 'web-identity',
    profile: 'default',
    roleArn: CI_ROLE,
    roleSessionName: 'run-7',
    tokenFile: '/oidc/token',
    durationSeconds: 3600,
  });
  assert.equal(web.region, 'eu-central-1');
  assert.equal(web.endpoints.sts, 'http://127.0.0.1:5000');
  assert.deepEqual(web.hops, []);
  assert.equal(plan('', 'default', { ...env, ...ECS_ENV }).source.kind, 'container');
  // A token file without a role (or the reverse) is not the web identity form.
  assert.equal(plan('', 'default', { AWS_WEB_IDENTITY_TOKEN_FILE: '/t', ...ECS_ENV }).source.kind, 'container');
});

test('IMDS stands for the implicit default only where asked (the library), and not when disabled', () => {
  rejects(() => plan('', 'default', {}), 'ERR_PROFILE_NOT_FOUND', /Profile "default"/);
  assert.deepEqual(plan('', 'default', {}, { ambientImds: true }).source, { kind: 'imds', profile: 'default', endpoint: 'http://169.254.169.254' });
  rejects(() => plan('', 'default', { AWS_EC2_METADATA_DISABLED: 'true' }, { ambientImds: true }), 'ERR_PROFILE_NOT_FOUND', /Profile "default"/);
});

test('a configured or stored default, AWS_PROFILE, or another name: no ambient credentials', () => {
  const env = { ...WEB_ENV };
  assert.equal(plan(`[default]\ncredential_process = echo\n`, 'default', env).source.kind, 'process');
  assert.equal(plan('', 'default', env, { hasStoredKey: (p) => p === 'default' }).source.kind, 'stored-key');
  rejects(() => plan('', 'default', { ...env, AWS_PROFILE: 'default' }), 'ERR_PROFILE_NOT_FOUND', /Profile "default"/);
  rejects(() => plan('', 'ci', env), 'ERR_PROFILE_NOT_FOUND', /Profile "ci"/);
});

test('a bad AWS_ROLE_ARN in the environment form is refused before any call', () => {
  rejects(() => plan('', 'default', { AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_ARN: 'ci' }), 'ERR_PROFILE_INVALID', /role_arn "ci"/);
});
