// What a `--job` outside the repository can import: the @aws-sdk clients
// rolehop ships load without an install next to the job, and a package that
// is installed nowhere fails the run with a hint naming it and the `npm i`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

describe('rolehop run --job and the packages a job imports', () => {
  let world: World;
  let jobs: string;

  before(async () => {
    world = await startWorld({ targets: 1, env: { AWS_PROFILE: 'alice' } });
    world.box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    await world.storeKey();
    // Outside the repository, so nothing is found by walking up to its node_modules.
    jobs = mkdtempSync(join(tmpdir(), 'rolehop-jobs-'));
  });
  after(async () => {
    rmSync(jobs, { recursive: true, force: true });
    await world?.stop();
  });

  const run = (job: string) =>
    runCli(['--mfa-token', '123456', '--json', 'run', '--accounts', world.accounts[0]!, '--job', job], { env: world.env, cwd: jobs, timeoutMs: 120_000 });

  it('a job importing @aws-sdk/client-sts runs without installing it', async () => {
    const job = join(jobs, 'whoami.mjs');
    writeFileSync(
      job,
      "import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';\n" +
        'export default async (ctx) => (await ctx.client(STSClient).send(new GetCallerIdentityCommand({}))).Account;\n',
    );
    const r = await run(job);
    assert.equal(r.code, 0, r.stderr);
    const line = JSON.parse(r.stdout.trim()) as { ok: boolean; value: unknown };
    assert.equal(line.ok, true, r.stdout);
    assert.equal(line.value, world.accounts[0]);
  });

  it('a job importing a package installed nowhere fails with exit 2 and the npm i to run', async () => {
    // rolehop itself has no Lambda client (it has STS, IAM, Organizations, EC2, ACM, SSM and Auto Scaling).
    const job = join(jobs, 'lambda.mjs');
    writeFileSync(job, "import { LambdaClient } from '@aws-sdk/client-lambda';\nexport default async () => typeof LambdaClient;\n");
    const r = await run(job);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /npm i @aws-sdk\/client-lambda` in /);
    assert.ok(r.stderr.includes(jobs), r.stderr);
    assert.doesNotMatch(r.stderr, /ES module/);
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  });
});
