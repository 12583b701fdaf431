// Ctrl-C in the middle of `roles apply` and `roles prune`, through the built
// CLI against moto: SIGINT is sent while an IAM call that follows CreateRole
// (or DetachRolePolicy) is held up in the counting proxy. A first SIGINT lets
// the running account finish the role it is on and start nothing else, says
// so per account and exits 130; two SIGINTs end it at once. Either way every
// role in AWS carries its owner tag (it is part of CreateRole), and the same
// command again does only what is left and ends clean.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, ListRolesCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import type { CountingProxy } from '../helpers/counting-proxy.js';
import { MOTO_ROOT_CREDENTIALS, runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const N = 2;

interface LiveRole {
  name: string;
  tags: Record<string, string>;
  attached: string[];
  inline: string[];
}

describe('rolehop roles: interrupted apply and prune', { timeout: 300_000 }, () => {
  let proxy: CountingProxy;
  let env: Record<string, string>;
  let accounts: string[];
  let world: World;
  let standard: string;
  const iams = new Map<string, IAMClient>();
  const sel = () => ['--accounts', accounts.join(',')];
  const cli = (args: string[], onSpawn?: (child: ChildProcess) => void) =>
    runCli(['--mfa-token', '123456', ...args], { env, timeoutMs: 120_000, ...(onSpawn ? { onSpawn } : {}) });

  /** The account's roles under `prefix`, read as its administrator straight from moto (not through the proxy). */
  async function rolesOf(account: string, prefix: string): Promise<LiveRole[]> {
    let iam = iams.get(account);
    if (!iam) {
      const sts = new STSClient({ region: 'us-east-1', endpoint: world.moto.url, credentials: MOTO_ROOT_CREDENTIALS });
      const r = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'check' }));
      sts.destroy();
      const c = r.Credentials!;
      iam = new IAMClient({
        region: 'us-east-1',
        endpoint: world.moto.url,
        credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
      });
      iams.set(account, iam);
    }
    const listed = (await iam.send(new ListRolesCommand({}))).Roles ?? [];
    const out: LiveRole[] = [];
    for (const role of listed.filter((r) => r.RoleName!.startsWith(prefix))) {
      const RoleName = role.RoleName!;
      const tags = (await iam.send(new ListRoleTagsCommand({ RoleName }))).Tags ?? [];
      const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName }))).AttachedPolicies ?? [];
      const inline = (await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames ?? [];
      out.push({ name: RoleName, tags: Object.fromEntries(tags.map((t) => [t.Key!, t.Value!])), attached: attached.map((p) => p.PolicyName!).sort(), inline });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A copy of the standard bundle under another name, with its roles renamed `Rolehop…` → `<prefix>…`. */
  function bundleCopy(name: string, prefix: string): string {
    const file = join(world.box.home, `${name}.yaml`);
    writeFileSync(file, readFileSync(standard, 'utf8').replace('name: standard', `name: ${name}`).replaceAll('Rolehop', prefix));
    return file;
  }

  /** Sends SIGINT (`times` times) to the CLI when the first `action` arrives, holding that call back `delayMs`. */
  function interruptAt(action: string, times: number, delayMs: number): (child: ChildProcess) => void {
    let sent = false;
    return (child) =>
      proxy.setFault((call) => {
        if (sent || call.action !== action) return undefined;
        sent = true;
        child.kill('SIGINT');
        if (times > 1) setTimeout(() => child.kill('SIGINT'), 200);
        return { delayMs };
      });
  }

  before(async () => {
    world = await startWorld({ proxy: true, targets: N, moto: { env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' } }, env: { AWS_PROFILE: 'alice' } });
    ({ proxy, accounts, env } = world);
    world.box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    await world.storeKey();
    standard = join(world.box.home, 'standard.yaml');
    const init = await cli(['roles', 'init', standard]);
    assert.equal(init.code, 0, init.stderr);
  });
  after(async () => {
    for (const iam of iams.values()) iam.destroy();
    await world?.stop();
  });

  it('a first Ctrl-C finishes the role in flight, starts nothing else, says what was done, exits 130; apply again does the rest', async () => {
    const file = bundleCopy('first', 'First');
    proxy.reset();
    const r = await cli(['roles', 'apply', file, ...sel(), '--yes'], interruptAt('AttachRolePolicy', 1, 1500));
    proxy.setFault(undefined);
    assert.equal(r.code, 130, r.stderr);
    const [canary, other] = accounts as [string, string];
    // The canary was on FirstAdministrator (CreateRole done, AttachRolePolicy held up): it got its policy, the rest was not started.
    assert.match(
      r.stdout,
      new RegExp(
        `~ ${canary}: stopped: created FirstAdministrator \\(2 IAM calls\\); not started: FirstOperator, FirstSpectator; not proven: FirstAdministrator`,
      ),
    );
    assert.match(r.stdout, new RegExp(`- ${other}: not started`));
    assert.match(r.stderr, /Interrupted: 1 stopped part-way, 1 not started; the same command again does the rest\./);
    assert.doesNotMatch(r.stderr, /\n\s+at |ERR_ABORTED/);
    assert.deepEqual(await rolesOf(canary, 'First'), [
      { name: 'FirstAdministrator', tags: { 'rolehop:bundle': 'first' }, attached: ['AdministratorAccess'], inline: [] },
    ]);
    assert.deepEqual(await rolesOf(other, 'First'), []);

    proxy.reset();
    const again = await cli(['roles', 'apply', file, ...sel(), '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`✓ ${canary}: created FirstOperator, FirstSpectator`));
    assert.match(again.stdout, new RegExp(`✓ ${other}: created FirstAdministrator, FirstOperator, FirstSpectator`));
    const created = proxy.calls.filter((c) => c.action === 'CreateRole').map((c) => c.params.RoleName);
    assert.equal(created.length, 5, 'the role the stop let finish is not made again');
    assert.equal(proxy.count('AttachRolePolicy'), 5);
    for (const account of accounts) {
      const roles = await rolesOf(account, 'First');
      assert.deepEqual(
        roles.map((x) => x.name),
        ['FirstAdministrator', 'FirstOperator', 'FirstSpectator'],
      );
      assert.ok(roles.every((x) => x.tags['rolehop:bundle'] === 'first' && x.attached.length === 1));
    }
    const plan = await cli(['roles', 'plan', file, ...sel()]);
    assert.equal(plan.code, 0, plan.stderr);
  });

  it('a second Ctrl-C ends it at once; the role cut between CreateRole and its policy is still rolehop’s, and apply again finishes it', async () => {
    const file = bundleCopy('second', 'Second');
    proxy.reset();
    const r = await cli(['roles', 'apply', file, ...sel(), '--yes'], interruptAt('AttachRolePolicy', 2, 3000));
    proxy.setFault(undefined);
    assert.equal(r.code, 130, r.stderr);
    // Cut while AttachRolePolicy was held up: whether moto got it is not known, but the role carries its owner tag.
    const [canary] = accounts as [string];
    const cut = await rolesOf(canary, 'Second');
    assert.deepEqual(
      cut.map((x) => [x.name, x.tags['rolehop:bundle']]),
      [['SecondAdministrator', 'second']],
    );
    // The held-up call may still reach moto after the CLI is gone: let it land before the re-run reads.
    await new Promise((res) => setTimeout(res, 3500));

    const again = await cli(['roles', 'apply', file, ...sel(), '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /conflict|does not own/);
    for (const account of accounts) {
      const roles = await rolesOf(account, 'Second');
      assert.deepEqual(
        roles.map((x) => [x.name, x.tags['rolehop:bundle'], x.attached.length]),
        [
          ['SecondAdministrator', 'second', 1],
          ['SecondOperator', 'second', 1],
          ['SecondSpectator', 'second', 1],
        ],
      );
    }
    const plan = await cli(['roles', 'plan', file, ...sel()]);
    assert.equal(plan.code, 0, plan.stderr);
  });

  it('a first Ctrl-C in prune finishes deleting the role in flight, leaves the other rolehop roles as they were, and prune again deletes them', async () => {
    const file = bundleCopy('pruned', 'Pruned');
    const made = await cli(['roles', 'apply', file, ...sel(), '--yes']);
    assert.equal(made.code, 0, made.stderr);
    // Drop two roles from the bundle: prune deletes them from every account.
    const text = readFileSync(file, 'utf8');
    const kept = text.slice(0, text.indexOf('  - name: PrunedOperator'));
    writeFileSync(file, kept);
    proxy.reset();
    const r = await cli(['roles', 'prune', file, ...sel(), '--yes'], interruptAt('DetachRolePolicy', 1, 1500));
    proxy.setFault(undefined);
    assert.equal(r.code, 130, r.stderr);
    const [canary, other] = accounts as [string, string];
    assert.match(r.stdout, new RegExp(`~ ${canary}: stopped: deleted PrunedOperator \\(\\d+ IAM calls\\); not started: PrunedSpectator`));
    assert.match(r.stdout, new RegExp(`- ${other}: not started`));
    assert.deepEqual(
      (await rolesOf(canary, 'Pruned')).map((x) => [x.name, x.tags['rolehop:bundle'], x.attached.length]),
      [
        ['PrunedAdministrator', 'pruned', 1],
        ['PrunedSpectator', 'pruned', 1],
      ],
    );
    const again = await cli(['roles', 'prune', file, ...sel(), '--yes']);
    assert.equal(again.code, 0, again.stderr);
    for (const account of accounts)
      assert.deepEqual(
        (await rolesOf(account, 'Pruned')).map((x) => x.name),
        ['PrunedAdministrator'],
      );
  });
});
