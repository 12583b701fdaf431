// Child process of the roles-plan benchmark: the least an SDK v3 script can
// do to read the same state: one GetSessionToken, then per account
// AssumeRole from that session and the same two paginated bulk reads as the
// plan (GetAccountAuthorizationDetails Filter=Role, ListRoles), in a pool of
// N workers, no diffing. One shared keep-alive agent, a fresh IAM client per
// account. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { IAMClient, GetAccountAuthorizationDetailsCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { baselineSession } from '../baseline-sts.js';
import { report, startSpan } from '../children.js';

const [url, file, concurrency] = process.argv.slice(2) as [string, string, string];
const accounts = JSON.parse(readFileSync(file, 'utf8')) as { id: string }[];
const span = startSpan();
const { requestHandler, sts } = await baselineSession(url);
let next = 0;
let roles = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < accounts.length) {
      const { id } = accounts[next++]!;
      const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`, RoleSessionName: 'baseline' })))
        .Credentials!;
      const iam = new IAMClient({
        region: 'us-east-1',
        endpoint: url,
        requestHandler,
        credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
      });
      let marker: string | undefined;
      do {
        const r = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }));
        roles += r.RoleDetailList?.length ?? 0;
        marker = r.IsTruncated ? r.Marker : undefined;
      } while (marker);
      do {
        const r = await iam.send(new ListRolesCommand({ MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }));
        marker = r.IsTruncated ? r.Marker : undefined;
      } while (marker);
    }
  }),
);
report({ ...span(), roles });
