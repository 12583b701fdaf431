import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { devNull } from 'node:os';
import { childEnvForServer, credentialsFileShadows, defaultShadows } from '../../src/cli/exec-server-mode.js';

const dirty = {
  PATH: '/bin',
  HOME: '/home/u',
  AWS_ACCESS_KEY_ID: 'AKIAOLD',
  AWS_SECRET_ACCESS_KEY: 'old',
  AWS_SESSION_TOKEN: 'old',
  AWS_SECURITY_TOKEN: 'old',
  AWS_CREDENTIAL_EXPIRATION: '2020-01-01T00:00:00Z',
  AWS_PROFILE: 'x',
  AWS_DEFAULT_PROFILE: 'y',
  AWS_WEB_IDENTITY_TOKEN_FILE: '/t',
  AWS_ROLE_ARN: 'arn:aws:iam::1:role/r',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds',
  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/tok',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ACCOUNT_ID: '999999999999',
  ROLEHOP_FILE_PASSPHRASE: 'pass',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
  AWS_CONFIG_FILE: '/home/u/.aws/config',
};

describe('child environment for server modes', () => {
  it('ecs: the two container variables, regions, nothing stale', () => {
    const env = childEnvForServer(dirty, { kind: 'ecs', url: 'http://127.0.0.1:1/x', token: 't' }, { profile: 'dev', region: 'eu-west-1' });
    assert.deepEqual(env, {
      PATH: '/bin',
      HOME: '/home/u',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AWS_CONFIG_FILE: '/home/u/.aws/config',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/x',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 't',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      ROLEHOP_PROFILE: 'dev',
    });
  });

  it('imds: the endpoint, v1 disabled, AWS_EC2_METADATA_DISABLED dropped, no container variables', () => {
    const env = childEnvForServer(dirty, { kind: 'imds', url: 'http://127.0.0.1:2' }, { profile: 'dev' });
    assert.equal(env.AWS_EC2_METADATA_SERVICE_ENDPOINT, 'http://127.0.0.1:2');
    assert.equal(env.AWS_EC2_METADATA_V1_DISABLED, 'true');
    assert.equal(env.AWS_EC2_METADATA_DISABLED, undefined);
    assert.equal(Object.keys(env).filter((k) => k.startsWith('AWS_CONTAINER')).length, 0);
    assert.equal(env.AWS_REGION, undefined);
  });

  it('hides config files whose [default] would win over the server', () => {
    const env = childEnvForServer(dirty, { kind: 'ecs', url: 'u', token: 't' }, { profile: 'p', hideConfigFile: true, hideCredentialsFile: true });
    assert.equal(env.AWS_CONFIG_FILE, devNull);
    assert.equal(env.AWS_SHARED_CREDENTIALS_FILE, devNull);
    assert.ok(defaultShadows({ role_arn: 'arn', source_profile: 'b' }));
    assert.ok(defaultShadows({ credential_process: 'x' }));
    assert.ok(!defaultShadows({ region: 'us-east-1', output: 'json' }));
    assert.ok(!defaultShadows(undefined));
    assert.ok(credentialsFileShadows('[other]\naws_access_key_id=A\n[default]\n# c\n AWS_ACCESS_KEY_ID = AKIA\n'));
    assert.ok(!credentialsFileShadows('[default]\nregion=us-east-1\n[prod]\naws_access_key_id=A\n'));
  });
});
