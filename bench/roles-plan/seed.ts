// The roles-plan benchmark's steady state: the bundle's roles created in
// every account exactly as rolehop would create them, so a plan is all noop
// (the daily drift check).
import { Agent } from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { desiredRole } from '../../src/bundles/desired-role.js';
import type { Bundle } from '../../src/bundles/model.js';
import { MGMT } from '../../test/engine/moto-org.js';

/**
 * Creates every role of `bundle` in each of `accounts` (entered through
 * OrganizationAccountAccessRole from the management account), `concurrency`
 * accounts at a time, straight against moto: CreateRole with the owner tag,
 * then PutRolePolicy per inline policy. Resolves with the calls made.
 */
export async function seedRoles(motoUrl: string, bundle: Bundle, accounts: string[], concurrency = 16): Promise<number> {
  const requestHandler = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency * 2 }) });
  const sts = new STSClient({ region: 'us-east-1', endpoint: motoUrl, credentials: MGMT, requestHandler });
  let next = 0;
  let calls = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < accounts.length) {
        const account = accounts[next++]!;
        const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'seed' })))
          .Credentials!;
        calls++;
        const iam = new IAMClient({
          region: 'us-east-1',
          endpoint: motoUrl,
          requestHandler,
          credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
        });
        for (const role of bundle.roles) {
          const d = desiredRole(bundle, role, account, 'aws');
          await iam.send(
            new CreateRoleCommand({
              RoleName: d.name,
              Path: d.path,
              AssumeRolePolicyDocument: JSON.stringify(d.trust),
              Description: d.description,
              MaxSessionDuration: d.maxSessionDuration,
              Tags: Object.entries(d.tags).map(([Key, Value]) => ({ Key, Value })),
            }),
          );
          calls++;
          for (const [PolicyName, doc] of Object.entries(d.inlinePolicies)) {
            await iam.send(new PutRolePolicyCommand({ RoleName: d.name, PolicyName, PolicyDocument: JSON.stringify(doc) }));
            calls++;
          }
        }
      }
    }),
  );
  sts.destroy();
  requestHandler.destroy();
  return calls;
}
