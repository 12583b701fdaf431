import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes } from '../errors.js';
import { consoleHost, federationEndpoint, partitionOf, partitionOfArn, resolvePartition, roleArnFor } from './partition.js';

describe('partitions', () => {
  it('come from the role ARN first, then the region', () => {
    assert.equal(resolvePartition({}), 'aws');
    assert.equal(resolvePartition({ region: 'eu-west-1' }), 'aws');
    assert.equal(resolvePartition({ region: 'cn-northwest-1' }), 'aws-cn');
    assert.equal(resolvePartition({ region: 'us-gov-east-1' }), 'aws-us-gov');
    assert.equal(resolvePartition({ roleArn: 'arn:aws-cn:iam::123456789012:role/x' }), 'aws-cn');
    assert.equal(resolvePartition({ roleArn: 'arn:aws-us-gov:iam::123456789012:role/x', region: 'us-gov-west-1' }), 'aws-us-gov');
    assert.equal(partitionOfArn('arn:aws-iso:iam::1:role/x'), undefined);
  });

  it('refuse a region outside the role partition', () => {
    assert.throws(() => resolvePartition({ roleArn: 'arn:aws:iam::123456789012:role/x', region: 'cn-north-1' }), { code: ErrorCodes.USAGE });
  });

  it('build role ARNs from the region', () => {
    assert.equal(partitionOf('cn-north-1'), 'aws-cn');
    assert.equal(partitionOf('us-gov-west-1'), 'aws-us-gov');
    assert.equal(roleArnFor('111122223333', 'Admin', 'eu-west-1'), 'arn:aws:iam::111122223333:role/Admin');
    assert.equal(roleArnFor('111122223333', 'ops/Admin', 'cn-north-1'), 'arn:aws-cn:iam::111122223333:role/ops/Admin');
    assert.equal(roleArnFor('111122223333', 'arn:aws:iam::1:role/x', 'cn-north-1'), 'arn:aws:iam::1:role/x');
  });

  it('have their federation endpoints and console hosts', () => {
    assert.equal(federationEndpoint('aws'), 'https://signin.aws.amazon.com/federation');
    assert.equal(federationEndpoint('aws', 'us-east-1'), 'https://signin.aws.amazon.com/federation');
    assert.equal(federationEndpoint('aws', 'eu-central-1'), 'https://eu-central-1.signin.aws.amazon.com/federation');
    assert.equal(federationEndpoint('aws-cn', 'cn-north-1'), 'https://signin.amazonaws.cn/federation');
    assert.equal(federationEndpoint('aws-us-gov', 'us-gov-west-1'), 'https://signin.amazonaws-us-gov.com/federation');
    assert.equal(federationEndpoint('aws-us-gov', 'us-gov-east-1'), 'https://us-gov-east-1.signin.amazonaws-us-gov.com/federation');
    assert.equal(consoleHost('aws'), 'console.aws.amazon.com');
    assert.equal(consoleHost('aws', 'eu-west-1'), 'eu-west-1.console.aws.amazon.com');
    assert.equal(consoleHost('aws-cn', 'cn-north-1'), 'console.amazonaws.cn');
    assert.equal(consoleHost('aws-us-gov', 'us-gov-east-1'), 'console.amazonaws-us-gov.com');
  });
});
