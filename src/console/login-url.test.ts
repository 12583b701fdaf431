import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes } from '../errors.js';
import { buildDestination, buildLoginUrl } from './login-url.js';

describe('buildDestination', () => {
  it('defaults to the console home', () => {
    assert.equal(buildDestination({ partition: 'aws' }), 'https://console.aws.amazon.com/console/home');
  });
  it('adds the region host and query', () => {
    assert.equal(buildDestination({ partition: 'aws', region: 'eu-west-1' }), 'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1');
    assert.equal(buildDestination({ partition: 'aws', region: 'us-east-1', path: '/ec2/home' }), 'https://console.aws.amazon.com/ec2/home?region=us-east-1');
    assert.equal(
      buildDestination({ partition: 'aws-cn', region: 'cn-north-1', path: 's3/buckets' }),
      'https://console.amazonaws.cn/s3/buckets?region=cn-north-1',
    );
    assert.equal(
      buildDestination({ partition: 'aws-us-gov', region: 'us-gov-west-1' }),
      'https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1',
    );
  });
  it('keeps the path query and fragment; a region in the path wins', () => {
    assert.equal(
      buildDestination({ partition: 'aws', region: 'eu-west-1', path: 'ec2/home?x=1#Instances:' }),
      'https://eu-west-1.console.aws.amazon.com/ec2/home?x=1&region=eu-west-1#Instances:',
    );
    assert.equal(
      buildDestination({ partition: 'aws', region: 'eu-west-1', path: 'ec2/home?region=eu-west-2' }),
      'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-2',
    );
  });
  it('refuses full URLs as paths', () => {
    assert.throws(() => buildDestination({ partition: 'aws', path: 'https://evil.example/' }), { code: ErrorCodes.USAGE });
    assert.throws(() => buildDestination({ partition: 'aws', path: '//evil.example/' }), { code: ErrorCodes.USAGE });
    assert.throws(() => buildDestination({ partition: 'aws', path: 'javascript:alert(1)' }), { code: ErrorCodes.USAGE });
  });
});

describe('buildLoginUrl', () => {
  it('encodes every value and keeps the parameter order', () => {
    const destination = 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:';
    const token = 'tok+en/with=special&chars';
    const url = buildLoginUrl({ federationEndpoint: 'https://signin.aws.amazon.com/federation', issuer: 'rolehop cli', destination, signinToken: token });
    assert.ok(url.startsWith('https://signin.aws.amazon.com/federation?Action=login&Issuer=rolehop%20cli&Destination=https%3A%2F%2Feu-west-1.'));
    const parsed = new URL(url);
    assert.deepEqual([...parsed.searchParams.keys()], ['Action', 'Issuer', 'Destination', 'SigninToken']);
    assert.equal(parsed.searchParams.get('Action'), 'login');
    assert.equal(parsed.searchParams.get('Destination'), destination);
    assert.equal(parsed.searchParams.get('SigninToken'), token);
    assert.equal(parsed.hash, '', 'the destination fragment is encoded, not a fragment of the link');
  });
  it('appends to an endpoint that already has a query', () => {
    const url = buildLoginUrl({ federationEndpoint: 'http://127.0.0.1:1/federation?x=1', issuer: 'i', destination: 'd', signinToken: 't' });
    assert.equal(url, 'http://127.0.0.1:1/federation?x=1&Action=login&Issuer=i&Destination=d&SigninToken=t');
  });
});
