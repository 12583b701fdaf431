// Child of the 10,000-account fan-out benchmark: the same calls as the
// engine child with the least code: one GetSessionToken, one AssumeRole per
// account, then one GetCallerIdentity per region with a client per account,
// N workers, one keep-alive agent. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { baselineSession } from '../baseline-sts.js';
import { report, startSpan } from '../children.js';

const [url, file, regionList, concurrency] = process.argv.slice(2) as [string, string, string, string];
const ids = readFileSync(file, 'utf8').trim().split('\n');
const regions = regionList.split(',');
const span = startSpan();
const { requestHandler, sts: source } = await baselineSession(url);
let next = 0;
let ok = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < ids.length) {
      const account = ids[next++]!;
      const c = (
        await source.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'ceiling' }))
      ).Credentials!;
      const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
      for (const region of regions) {
        const sts = new STSClient({ region, endpoint: url, credentials, requestHandler });
        const r = await sts.send(new GetCallerIdentityCommand({}));
        if (r.Account === account) ok++;
      }
    }
  }),
);
report({ ...span(), ok });
