import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutoScalingClient, DescribeLaunchConfigurationsCommand, type LaunchConfiguration } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client, type LaunchTemplateVersion } from '@aws-sdk/client-ec2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { imagesInUse, ssmParameterOf } from './image-usage.js';

/** An SDK-style error, as the clients throw them. */
function awsError(name: string): Error {
  return Object.assign(new Error(`${name} (fake)`), { name, $metadata: { httpStatusCode: 400 } });
}

/**
 * Real clients (the SDK's paginators check the class) whose send answers
 * from the given data; `parameters` maps a name to its value or to an
 * error name to throw; `configs` is pages of launch configurations, or an
 * error name. Records the parameters asked for.
 */
function fakes(o: { templates?: LaunchTemplateVersion[]; parameters?: Record<string, string | Error>; configs?: LaunchConfiguration[][] | Error }) {
  const asked: string[] = [];
  const ec2 = new EC2Client({ region: 'eu-west-1' });
  ec2.send = (async (cmd: unknown) => {
    if (cmd instanceof DescribeInstancesCommand)
      return { Reservations: [{ Instances: [{ InstanceId: 'i-1', ImageId: 'ami-running', State: { Name: 'running' } }] }] };
    if (cmd instanceof DescribeLaunchTemplateVersionsCommand) return { LaunchTemplateVersions: o.templates ?? [] };
    throw new Error('unexpected EC2 command');
  }) as EC2Client['send'];
  const ssm = new SSMClient({ region: 'eu-west-1' });
  ssm.send = (async (cmd: unknown) => {
    if (!(cmd instanceof GetParameterCommand)) throw new Error('unexpected SSM command');
    asked.push(cmd.input.Name!);
    const v = o.parameters?.[cmd.input.Name!] ?? awsError('ParameterNotFound');
    if (v instanceof Error) throw v;
    return { Parameter: { Name: cmd.input.Name, Value: v } };
  }) as SSMClient['send'];
  const autoScaling = new AutoScalingClient({ region: 'eu-west-1' });
  autoScaling.send = (async (cmd: unknown) => {
    if (!(cmd instanceof DescribeLaunchConfigurationsCommand)) throw new Error('unexpected Auto Scaling command');
    if (o.configs instanceof Error) throw o.configs;
    const pages = o.configs ?? [[]];
    const i = cmd.input.NextToken ? Number(cmd.input.NextToken) : 0;
    return { LaunchConfigurations: pages[i], ...(i + 1 < pages.length ? { NextToken: String(i + 1) } : {}) };
  }) as AutoScalingClient['send'];
  return { clients: { ec2, ssm, autoScaling }, asked };
}

const template = (name: string, ImageId: string, extra: Partial<LaunchTemplateVersion> = {}): LaunchTemplateVersion => ({
  LaunchTemplateName: name,
  VersionNumber: 3,
  DefaultVersion: true,
  LaunchTemplateData: { ImageId },
  ...extra,
});

test('ssmParameterOf: the parameter of a resolve:ssm: ImageId, with its version or label; nothing for an AMI id', () => {
  assert.equal(ssmParameterOf('resolve:ssm:/golden/web'), '/golden/web');
  assert.equal(ssmParameterOf('resolve:ssm:/golden/web:4'), '/golden/web:4');
  assert.equal(ssmParameterOf('resolve:ssm:golden-web:prod'), 'golden-web:prod');
  assert.equal(ssmParameterOf('ami-0abc'), undefined);
  assert.equal(ssmParameterOf('resolve:ssm:'), undefined);
});

test('instances, plain and SSM-backed launch templates and launch configurations (every page) all count as users', async () => {
  const f = fakes({
    templates: [
      template('plain', 'ami-plain'),
      template('web', 'resolve:ssm:/golden/web'),
      template('api', 'resolve:ssm:/golden/web', { VersionNumber: 7, DefaultVersion: false }),
    ],
    parameters: { '/golden/web': 'ami-golden' },
    configs: [
      [{ LaunchConfigurationName: 'lc-1', ImageId: 'ami-lc1' } as LaunchConfiguration],
      [{ LaunchConfigurationName: 'lc-2', ImageId: 'ami-lc2' } as LaunchConfiguration],
    ],
  });
  const usage = await imagesInUse(f.clients);
  assert.deepEqual(Object.fromEntries(usage.used), {
    'ami-running': 'instance i-1 (running)',
    'ami-plain': 'launch template plain version 3 (default)',
    'ami-golden': 'launch template web version 3 (default) through SSM parameter /golden/web',
    'ami-lc1': 'launch configuration lc-1',
    'ami-lc2': 'launch configuration lc-2',
  });
  assert.deepEqual(usage.unknown, []);
  assert.deepEqual(f.asked, ['/golden/web'], 'each parameter is read once');
});

test('a parameter that cannot be read makes the usage unknown, naming it and its templates; the others still count', async () => {
  for (const error of [awsError('AccessDeniedException'), awsError('ParameterNotFound')]) {
    // $Latest and $Default of one version: the same version listed twice.
    const web = template('web', 'resolve:ssm:/golden/web');
    const f = fakes({ templates: [web, web, template('plain', 'ami-plain')], parameters: { '/golden/web': error } });
    const usage = await imagesInUse(f.clients);
    assert.deepEqual(usage.unknown, [`SSM parameter /golden/web of launch template web version 3 (default) could not be read (${error.name})`]);
    assert.ok(usage.used.has('ami-plain') && usage.used.has('ami-running'));
  }
});

test('launch configurations that may not be listed make the usage unknown; any other error propagates', async () => {
  const denied = await imagesInUse(fakes({ configs: awsError('AccessDenied') }).clients);
  assert.deepEqual(denied.unknown, ['launch configurations could not be listed (AccessDenied)']);
  await assert.rejects(imagesInUse(fakes({ configs: awsError('InternalFailure') }).clients), /InternalFailure/);
});
