// Child process of the fan-out benchmark: the emulator's ceiling, measured
// with the most direct SDK loop doing the same calls (one shared STS client
// and keep-alive agent, a fresh IAM client per account, N workers).
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { IAMClient, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { report, startSpan } from '../children.js';

const [url, file, concurrency] = process.argv.slice(2) as [string, string, string];
const ids = readFileSync(file, 'utf8').trim().split('\n');
const requestHandler = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) });
const caller = { accessKeyId: 'AKIAMANAGEMENT000001', secretAccessKey: 'management-secret' };
const sts = new STSClient({ region: 'us-east-1', endpoint: url, credentials: caller, requestHandler });
const span = startSpan();
let next = 0;
let ok = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const r = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`, RoleSessionName: 'ceiling' }));
      const c = r.Credentials!;
      const iam = new IAMClient({
        region: 'us-east-1',
        endpoint: url,
        requestHandler,
        credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
      });
      await iam.send(new ListAccountAliasesCommand({}));
      ok++;
    }
  }),
);
report({ ...span(), ok });
