// Role bundles against moto with AWS's managed policies loaded, behind a
// proxy that rewrites IAM documents the way AWS does (test/helpers/aws-rewrite)
// and the counting proxy in front of that: an organization of
// ROLEHOP_BUNDLE_N (default 200) accounts, the library API from the package
// entry (planBundle, applyBundle) as the CLI uses it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient,
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startMoto, type MotoServer } from '../helpers/moto.js';
import { startCountingProxy, type CountingProxy } from '../helpers/counting-proxy.js';
import { startRewriteProxy, type RewriteProxy } from '../helpers/aws-rewrite.js';
import { createOrg, MGMT, motoBroker } from '../engine/moto-org.js';
// The package entry, as a user's script would import it.
import { applyBundle, parseBundle, planBundle, type Bundle, type BundleSweepOptions, type BundleTarget, type PlannedRole } from '../../src/index.js';

const N = Number(process.env.ROLEHOP_BUNDLE_N ?? 200);

const bundleText = (roles = ['RolehopAdministrator', 'RolehopOperator', 'RolehopSpectator'], name = 'standard') => `
version: 1
name: ${name}
identityAccount: "${MGMT.accountId}"
roles:
${[
  roles.includes('RolehopAdministrator') &&
    `  - name: RolehopAdministrator
    description: Full access, from the identity account with MFA
    managedPolicies: [AdministratorAccess]`,
  roles.includes('RolehopOperator') &&
    `  - name: RolehopOperator
    description: Everything but IAM
    managedPolicies: [PowerUserAccess]
    inlinePolicies:
      pass-app-roles:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [iam:PassRole, iam:GetRole]
            Resource: ["arn:\${partition}:iam::\${account}:role/app/*"]
    tags: { team: platform, tier: operator }`,
  roles.includes('RolehopSpectator') &&
    `  - name: RolehopSpectator
    managedPolicies: [job-function/ViewOnlyAccess]
    maxSessionDuration: 14400`,
  roles.includes('RolehopAuditor') &&
    `  - name: RolehopAuditor
    managedPolicies: [SecurityAudit]`,
]
  .filter(Boolean)
  .join('\n')}
`;

const isMutating = (action: string) => !/^(Get|List)/.test(action);

describe(`role bundles: ${N} accounts against moto`, { timeout: 900_000 }, () => {
  let moto: MotoServer;
  let rewrite: RewriteProxy;
  let proxy: CountingProxy;
  let accounts: { id: string; name: string }[];
  let targets: BundleTarget[];
  let bundle: Bundle;
  let opts: BundleSweepOptions;

  const iamCalls = () => proxy.calls.filter((c) => c.service === 'iam');
  const mutating = () => iamCalls().filter((c) => isMutating(c.action));
  const plan = async (b: Bundle, t: BundleTarget[] = targets, extra: { withPrune?: boolean; adopt?: boolean } = {}) =>
    (await planBundle(b, t, { ...opts, ...extra }).all()).flatMap((p) => p.entries);
  const changed = (entries: PlannedRole[]) => entries.filter((e) => e.action !== 'noop');

  /** IAM of one account as its administrator (the proxies bypassed: a hand edit). */
  async function iamOf(account: string): Promise<IAMClient> {
    const sts = new STSClient({ region: 'us-east-1', endpoint: moto.url, credentials: MGMT });
    const r = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'hand-edit' }));
    sts.destroy();
    const c = r.Credentials!;
    return new IAMClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    });
  }

  before(async () => {
    moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' } });
    rewrite = await startRewriteProxy(moto.url);
    proxy = await startCountingProxy(rewrite.url);
    const t0 = Date.now();
    accounts = await createOrg(moto.url, N + 4);
    console.log(`# created ${N + 4} accounts in ${Date.now() - t0} ms`);
    targets = accounts.slice(0, N).map((a) => ({ account: a.id, name: a.name, roles: ['RolehopAdministrator', 'RolehopOperator', 'RolehopSpectator'] }));
    bundle = parseBundle(bundleText(), 'standard.yaml');
    opts = { broker: motoBroker(proxy.url), profile: 'me', endpoints: { sts: proxy.url, iam: proxy.url, organizations: proxy.url }, concurrency: 16 };
  });

  after(async () => {
    await proxy?.stop();
    await rewrite?.stop();
    await moto?.stop();
  });

  it('plans creates everywhere, applies them proving each role, then plans zero changes and applies with zero mutating calls', async () => {
    const first = await plan(bundle);
    assert.equal(first.length, N * 3);
    assert.ok(
      first.every((e) => e.action === 'create'),
      'every role is to be created',
    );
    assert.equal(mutating().length, 0, 'a plan changes nothing');
    const perAccount = iamCalls().length / N;
    assert.ok(perAccount <= 2.01, `a plan reads each account in one bulk read (2 calls), saw ${perAccount}`);

    const t0 = Date.now();
    const report = await applyBundle(bundle, targets, opts);
    console.log(`# apply of ${N}x3 roles: ${Date.now() - t0} ms, ${report.mutatingCalls} IAM calls`);
    assert.equal(report.failed, 0, JSON.stringify(report.accounts.find((a) => a.error)?.error));
    assert.equal(report.changed, N);
    const proven = report.accounts.flatMap((a) => a.roles.filter((r) => r.verified));
    assert.equal(proven.length, N * 3, 'every new role was assumed the way a user would');

    const before = rewrite.rewritten;
    proxy.reset();
    const second = await plan(bundle);
    assert.ok(rewrite.rewritten > before, 'the documents came back rewritten as AWS would');
    assert.deepEqual(changed(second), [], 'an unchanged bundle plans to zero changes');

    proxy.reset();
    const again = await applyBundle(bundle, targets, opts);
    assert.equal(again.changed, 0);
    assert.equal(
      mutating().length,
      0,
      `a second apply makes no mutating IAM call (saw ${mutating()
        .map((c) => c.action)
        .join(', ')})`,
    );
    assert.equal(proxy.count('AssumeRole'), N, 'one AssumeRole per account');
  });

  it('finds hand edits as drift in exactly those accounts and roles, and apply repairs exactly them', async () => {
    const [a, b, c, d] = accounts.slice(0, 4).map((x) => x.id) as [string, string, string, string];
    const ia = await iamOf(a);
    const trust = JSON.parse(decodeURIComponent((await ia.send(new GetRoleCommand({ RoleName: 'RolehopAdministrator' }))).Role!.AssumeRolePolicyDocument!));
    trust.Statement[0].Principal.AWS = ['arn:aws:iam::999999999999:root'];
    await ia.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'RolehopAdministrator', PolicyDocument: JSON.stringify(trust) }));
    await (await iamOf(b)).send(new AttachRolePolicyCommand({ RoleName: 'RolehopSpectator', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await (await iamOf(c)).send(new UpdateRoleCommand({ RoleName: 'RolehopOperator', MaxSessionDuration: 43200, Description: 'Everything but IAM' }));
    const id = await iamOf(d);
    await id.send(new DetachRolePolicyCommand({ RoleName: 'RolehopOperator', PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }));
    await id.send(new DeleteRolePolicyCommand({ RoleName: 'RolehopOperator', PolicyName: 'pass-app-roles' }));
    await id.send(new DeleteRoleCommand({ RoleName: 'RolehopOperator' }));

    const drift = changed(await plan(bundle));
    const seen = drift.map((e) => `${e.account} ${e.role} ${e.action} ${e.changes.map((x) => x.field).join('+')}`).sort();
    assert.deepEqual(
      seen,
      [
        `${a} RolehopAdministrator update trust`,
        `${b} RolehopSpectator update managedPolicies`,
        `${c} RolehopOperator update maxSessionDuration`,
        `${d} RolehopOperator create role`,
      ].sort(),
    );
    const trustChange = drift.find((e) => e.account === a)!.changes[0]!;
    assert.ok(
      trustChange.diff?.some((l) => l.startsWith('- ') && l.includes('999999999999')),
      'the trust diff shows the foreign account',
    );
    assert.match(
      drift.find((e) => e.account === b)!.changes[0]!.summary,
      /detach arn:aws:iam::aws:policy\/AdministratorAccess \(attached outside the bundle\)/,
    );

    proxy.reset();
    const repair = await applyBundle(bundle, targets, opts);
    assert.equal(repair.failed, 0);
    assert.deepEqual(
      repair.accounts
        .filter((x) => x.status === 'changed')
        .map((x) => x.account)
        .sort(),
      [a, b, c, d].sort(),
    );
    const touched = new Set(mutating().map((x) => x.accessKeyId));
    assert.equal(touched.size, 4, 'mutating calls were signed in exactly four accounts');
    assert.deepEqual(changed(await plan(bundle)), []);
  });

  it('leaves a same-named role rolehop does not own alone, and adopts it only when asked', async () => {
    const [x, y] = accounts.slice(N, N + 2).map((q) => q.id) as [string, string];
    const foreign = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }],
    });
    await (await iamOf(x)).send(new CreateRoleCommand({ RoleName: 'RolehopAuditor', Path: '/rolehop/', AssumeRolePolicyDocument: foreign }));
    const auditor = parseBundle(bundleText(['RolehopAuditor'], 'audit'), 'audit.yaml');
    const t = [x, y].map((account) => ({ account, roles: ['RolehopAuditor'] }));
    const entries = await plan(auditor, t);
    assert.deepEqual(entries.map((e) => `${e.account} ${e.action}`).sort(), [`${x} conflict`, `${y} create`].sort());
    assert.match(entries.find((e) => e.account === x)!.reason!, /does not own/);

    const report = await applyBundle(auditor, t, opts);
    assert.equal(report.failed, 0);
    const still = await (await iamOf(x)).send(new GetRoleCommand({ RoleName: 'RolehopAuditor' }));
    assert.match(decodeURIComponent(still.Role!.AssumeRolePolicyDocument!), /999999999999/, 'the conflict was not touched');

    const adopted = await plan(auditor, t, { adopt: true });
    assert.equal(adopted.find((e) => e.account === x)!.action, 'update');
  });

  it('retries "Invalid principal" and AccessDenied right after a create until IAM has propagated', async () => {
    const z = accounts[N + 2]!.id;
    let invalid = 0;
    let denied = 0;
    proxy.setFault((call) => {
      if (call.action === 'CreateRole' && invalid < 2) {
        invalid++;
        return { status: 400, code: 'MalformedPolicyDocument', message: `Invalid principal in policy: "AWS":"arn:aws:iam::${MGMT.accountId}:root"` };
      }
      if (call.action === 'AssumeRole' && call.roleArn?.includes('/rolehop/') && denied < 2) {
        denied++;
        return { status: 403, code: 'AccessDenied', message: 'User is not authorized to perform: sts:AssumeRole' };
      }
      return undefined;
    });
    try {
      const report = await applyBundle(bundle, [{ account: z, roles: ['RolehopSpectator'] }], opts);
      assert.equal(report.failed, 0, JSON.stringify(report.accounts[0]?.error));
      assert.equal(invalid, 2);
      assert.equal(denied, 2);
      const role = report.accounts[0]!.roles[0]!;
      assert.ok(role.verified && role.verified.attempts === 3, `proven on the third AssumeRole (${JSON.stringify(role.verified)})`);
      assert.ok(report.accounts[0]!.propagationMs! >= 0);
    } finally {
      proxy.setFault(undefined);
    }
  });

  it('prunes only owned roles the bundle no longer lists, never the conflict or the way in', async () => {
    const small = targets.slice(0, 3);
    const without = parseBundle(bundleText(['RolehopAdministrator', 'RolehopOperator']), 'standard.yaml');
    const entries = await plan(without, small, { withPrune: true });
    assert.deepEqual(
      entries
        .filter((e) => e.action === 'prune')
        .map((e) => `${e.account} ${e.role}`)
        .sort(),
      small.map((t) => `${t.account} RolehopSpectator`).sort(),
    );
    const report = await applyBundle(without, small, { ...opts, mode: 'prune' });
    assert.equal(report.failed, 0);
    assert.equal(report.changed, 3);
    const left = await plan(without, small, { withPrune: true });
    assert.deepEqual(changed(left), []);
    // The bootstrap role is still there: the sweep itself came in through it.
    assert.ok(report.accounts.every((a) => a.roles.every((r) => r.role === 'RolehopSpectator')));
  });
});
