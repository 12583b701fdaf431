// Child process of the fan-out benchmark: the emulator's ceiling, measured
// with the most direct SDK loop doing the same calls (one shared STS client
// and keep-alive agent, a fresh IAM client per account, N workers).
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { IAMClient, ListAccountAliasesCommand } from '@aws-sdk/client-iam';

const [url, file, concurrency] = process.argv.slice(2) as [string, string, string];
const ids = readFileSync(file, 'utf8').trim().split('\n');
const requestHandler = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) });
const caller = { accessKeyId: 'AKIAMANAGEMENT000001', secretAccessKey: 'management-secret' };
const sts = new STSClient({ region: 'us-east-1', endpoint: url, credentials: caller, requestHandler });
const t0 = performance.now();
// CPU of this whole process (all threads) over the same span as wallMs.
const cpu0 = process.cpuUsage();
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
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuFields = { cpuMs: (cpu.user + cpu.system) / 1000, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000 };
process.stdout.write(`${JSON.stringify({ wallMs, ...cpuFields, ok, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
