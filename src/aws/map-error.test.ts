import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isRetryableAwsError, mapAwsError } from './map-error.js';

const awsErr = (name: string, message: string, status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('mapAwsError', () => {
  it('maps the STS error names to stable codes', () => {
    assert.equal(mapAwsError(awsErr('AccessDenied', 'not authorized', 403), 'AssumeRole').code, 'ERR_AWS_ACCESS_DENIED');
    assert.equal(
      mapAwsError(awsErr('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 403), 'x').code,
      'ERR_MFA_INVALID',
    );
    assert.equal(mapAwsError(awsErr('ExpiredToken', 'expired', 403), 'x').code, 'ERR_AWS_EXPIRED');
    assert.equal(mapAwsError(awsErr('InvalidClientTokenId', 'invalid', 403), 'x').code, 'ERR_AWS_INVALID_KEY');
    assert.equal(mapAwsError(awsErr('Throttling', 'Rate exceeded'), 'x').code, 'ERR_AWS_THROTTLED');
    const v = mapAwsError(awsErr('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'), 'x');
    assert.equal(v.code, 'ERR_AWS_VALIDATION');
    assert.match(v.hint ?? '', /1 h/);
  });
  it('scrubs long tokens from messages', () => {
    const token = 'A'.repeat(200);
    assert.doesNotMatch(
      mapAwsError(awsErr('Other', `bad token ${token}`), 'x').message,
      /AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/,
    );
  });
  it('knows what is retryable', () => {
    assert.ok(isRetryableAwsError(awsErr('Throttling', '')));
    assert.ok(isRetryableAwsError(awsErr('InternalFailure', '', 500)));
    assert.ok(!isRetryableAwsError(awsErr('AccessDenied', '', 403)));
  });
});
