import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { credentialEnv, isoSeconds, withoutRolehopSecrets } from './child-env.js';

describe('credentialEnv', () => {
  const creds = {
    accessKeyId: 'ASIAX',
    secretAccessKey: 's3cr3t',
    sessionToken: 'tok',
    expiration: new Date('2026-01-01T13:00:00.123Z'),
    accountId: '111111111111',
  };

  it('sets credentials, expiry, both regions and the marker', () => {
    const env = credentialEnv({ PATH: '/bin' }, creds, { profile: 'p', region: 'eu-west-1' });
    assert.deepEqual(env, {
      PATH: '/bin',
      AWS_ACCESS_KEY_ID: 'ASIAX',
      AWS_SECRET_ACCESS_KEY: 's3cr3t',
      AWS_SESSION_TOKEN: 'tok',
      AWS_CREDENTIAL_EXPIRATION: '2026-01-01T13:00:00Z',
      AWS_ACCOUNT_ID: '111111111111',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      ROLEHOP_PROFILE: 'p',
      ROLEHOP_EXPIRES: '1767272400',
    });
  });

  it('removes profile selectors, stale credentials and rolehop secrets', () => {
    const env = credentialEnv(
      {
        AWS_PROFILE: 'x',
        AWS_DEFAULT_PROFILE: 'y',
        AWS_SECURITY_TOKEN: 'old',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://x',
        ROLEHOP_FILE_PASSPHRASE: 'pw',
        AWS_CONFIG_FILE: '/c',
        ROLEHOP_EXPIRES: '1',
      },
      { accessKeyId: 'AKIA', secretAccessKey: 's' },
      { profile: 'p' },
    );
    for (const k of [
      'AWS_PROFILE',
      'AWS_DEFAULT_PROFILE',
      'AWS_SECURITY_TOKEN',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'ROLEHOP_FILE_PASSPHRASE',
      'AWS_SESSION_TOKEN',
      'AWS_CREDENTIAL_EXPIRATION',
      'AWS_REGION',
      'ROLEHOP_EXPIRES',
    ]) {
      assert.equal(env[k], undefined, k);
    }
    assert.equal(env.AWS_CONFIG_FILE, '/c');
  });

  it('gives helper processes everything but rolehop secrets and unset entries', () => {
    assert.deepEqual(withoutRolehopSecrets({ PATH: '/bin', ROLEHOP_FILE_PASSPHRASE: 'pw', GONE: undefined, AWS_REGION: 'eu-west-1' }), {
      PATH: '/bin',
      AWS_REGION: 'eu-west-1',
    });
  });

  it('writes timestamps without milliseconds', () => {
    assert.equal(isoSeconds(new Date('2026-11-23T00:18:32.329Z')), '2026-11-23T00:18:32Z');
  });
});
