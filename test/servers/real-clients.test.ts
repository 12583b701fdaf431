// Real AWS clients (AWS CLI v1, boto3, Node SDK v3 default chain) reach the
// right moto account through each server and keep working across a refresh.
// The servers run in this process with a credential source that calls moto's
// AssumeRole with a new session name on every fetch (s1, s2, ...), so the
// caller ARN shows which fetch a client signed with. moto never expires
// credentials, so a refresh is made visible instead: short Expirations for
// the SDK v3 (it re-fetches under 5 min), a clock moved forward inside
// boto3's credential object, two CLI runs with a refresh in between.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { MotoServer } from '../helpers/moto.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { startWorld, type World } from '../helpers/world.js';
import { MOTO_ROOT_CREDENTIALS, REPO_ROOT } from '../helpers/run-cli.js';
import { startEcsServer } from '../../src/servers/ecs-server.js';
import { startImdsServer } from '../../src/servers/imds-server.js';
import { childEnvForServer, type ServerHandle } from '../../src/cli/exec-server-mode.js';
import type { Credentials } from '../../src/credentials/types.js';

const ACCOUNT = '210987654321';

/** Async spawn: the servers live in this process, so a blocking spawnSync would starve them. */
function run(
  cmd: string,
  args: string[],
  opts: { env: Record<string, string>; cwd?: string },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;

describe('real clients through the local servers', () => {
  let moto: MotoServer;
  let box: Sandbox;
  let fetches = 0;
  let lifetimeMs = 3600_000;

  const source = async (): Promise<Credentials> => {
    const sts = await import('@aws-sdk/client-sts');
    const client = new sts.STSClient({ endpoint: moto.url, region: 'us-east-1', credentials: MOTO_ROOT_CREDENTIALS });
    try {
      const n = ++fetches;
      const r = await client.send(new sts.AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: `s${n}` }));
      const c = r.Credentials!;
      return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: new Date(Date.now() + lifetimeMs) };
    } finally {
      client.destroy();
    }
  };

  let world: World;

  before(async () => {
    world = await startWorld({ build: false, identity: false });
    ({ moto, box } = world);
    // A [default] with keys would win over the servers (docs/aws-behaviour.md, "Provider order"): prove the env handles it.
    box.writeCredentials('[default]\naws_access_key_id = AKIADEFAULTSHOULDNOTWIN\naws_secret_access_key = x\n');
    box.writeConfig('[default]\nregion = us-east-1\n');
  });
  after(async () => world?.stop());

  /** Starts a server of `kind` that fetches anew on every request, runs `fn` with the child env, closes it. */
  async function withServer<T>(kind: 'ecs' | 'imds', lifetime: number, fn: (env: Record<string, string>) => T): Promise<T> {
    lifetimeMs = lifetime;
    const opts = { getCredentials: source, refreshAheadMs: Number.MAX_SAFE_INTEGER };
    const s = kind === 'ecs' ? await startEcsServer(opts) : await startImdsServer({ ...opts, roleName: 'admin', region: 'us-east-1' });
    const handle: ServerHandle = kind === 'ecs' ? { kind, url: s.url, token: (s as { token: string }).token } : { kind, url: s.url };
    const base = box.env({ AWS_ENDPOINT_URL: moto.url, AWS_PROFILE: 'default', AWS_ACCESS_KEY_ID: 'AKIASTALE' });
    const env = childEnvForServer(base, handle, { profile: 'admin', region: 'us-east-1', hideCredentialsFile: true });
    try {
      return await fn(env);
    } finally {
      await s.close();
    }
  }

  const arnOf = (out: string) => JSON.parse(out) as { Arn: string; Account: string };
  const sessionNo = (arn: string) => Number(/\/s(\d+)$/.exec(arn)?.[1]);

  for (const kind of ['ecs', 'imds'] as const) {
    it(`AWS CLI v1 via ${kind}: right account, and a refresh between runs is picked up`, async () => {
      await withServer(kind, 3600_000, async (env) => {
        const one = await run('aws', ['sts', 'get-caller-identity', '--output', 'json'], { env });
        assert.equal(one.status, 0, one.stderr);
        const two = await run('aws', ['sts', 'get-caller-identity', '--output', 'json'], { env });
        assert.equal(two.status, 0, two.stderr);
        assert.equal(arnOf(one.stdout).Account, ACCOUNT);
        assert.equal(arnOf(two.stdout).Account, ACCOUNT);
        assert.ok(sessionNo(arnOf(two.stdout).Arn) > sessionNo(arnOf(one.stdout).Arn), 'second run used refreshed credentials');
      });
    });

    it(`boto3 via ${kind}: right account, and one process re-fetches when its credentials near expiry`, async () => {
      const script = [
        'import boto3, datetime, json',
        "s = boto3.session.Session(region_name='us-east-1')",
        "c = s.client('sts')",
        "a = c.get_caller_identity()['Arn']",
        'creds = s.get_credentials()',
        'method = creds.method',
        'real = creds._time_fetcher',
        // 55 minutes later for the client only: inside botocore's mandatory refresh window.
        'creds._time_fetcher = lambda: real() + datetime.timedelta(minutes=55)',
        "b = c.get_caller_identity()['Arn']",
        'print(json.dumps({"a": a, "b": b, "method": method}))',
      ].join('\n');
      await withServer(kind, 3600_000, async (env) => {
        const r = await run('python3', ['-c', script], { env });
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout) as { a: string; b: string; method: string };
        assert.equal(out.method, kind === 'ecs' ? 'container-role' : 'iam-role');
        assert.ok(out.a.includes(`::${ACCOUNT}:assumed-role/Admin/`));
        assert.ok(sessionNo(out.b) > sessionNo(out.a), `re-fetched: ${out.a} then ${out.b}`);
      });
    });

    it(`Node SDK v3 default chain via ${kind}: right account, and re-fetches short-lived credentials`, async () => {
      const script = [
        "import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';",
        'const c = new STSClient({});',
        'const a = await c.send(new GetCallerIdentityCommand({}));',
        // The default chain refreshes expiring credentials in the background and serves the old ones meanwhile.
        'await new Promise((r) => setTimeout(r, 500));',
        'const b = await c.send(new GetCallerIdentityCommand({}));',
        'console.log(JSON.stringify({ a: a.Arn, b: b.Arn, account: b.Account }));',
      ].join('\n');
      // 4 minutes left: under SDK v3's 5-minute refresh window, so every call re-fetches.
      await withServer(kind, 4 * 60_000, async (env) => {
        const r = await run(process.execPath, ['--input-type=module', '-e', script], { env });
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout) as { a: string; b: string; account: string };
        assert.equal(out.account, ACCOUNT);
        assert.ok(sessionNo(out.b) > sessionNo(out.a), `re-fetched: ${out.a} then ${out.b}`);
      });
    });
  }
});
