// The CI recipe of the README ("Fan-out from CI"), run as a CI matrix would:
// four `rolehop run --shard i/4` processes at once over 200 accounts, each
// starting from the web identity environment form (no profile, no vault),
// each writing its NDJSON to a file; `cat` merges them, and the merge covers
// every account exactly once.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOTO_MANAGEMENT_ACCOUNT } from '../helpers/moto-role-credentials.js';
import { writeOidcToken } from '../helpers/oidc-token.js';
import { runCli, REPO_ROOT } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const N = 200;
const SHARDS = 4;
const JOB = join(REPO_ROOT, 'test', 'engine', 'fixtures', 'list-roles.mjs');

describe('CI recipe: four shards from one OIDC role', () => {
  let world: World;

  before(async () => {
    world = await startWorld({ proxy: true, identity: false, targets: N, env: { AWS_REGION: 'us-east-1' } });
  });
  after(async () => world?.stop());

  it('four shards run at once, merged with cat, cover every account exactly once', async () => {
    const { box, proxy } = world;
    const accountsFile = join(box.home, 'accounts.txt');
    writeFileSync(accountsFile, `${world.accounts.join('\n')}\n`);
    const tokenFile = join(box.home, 'oidc-token');
    writeOidcToken(tokenFile);
    const env = { ...world.env, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: `arn:aws:iam::${MOTO_MANAGEMENT_ACCOUNT}:role/ci-fanout` };
    proxy.reset();
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) =>
        runCli(['--json', 'run', '--shard', `${i + 1}/${SHARDS}`, '--accounts-file', accountsFile, '--job', JOB], { env, timeoutMs: 300_000 }),
      ),
    );
    shards.forEach((r, i) => {
      assert.equal(r.code, 0, `shard ${i + 1}: ${r.stderr}`);
      writeFileSync(join(box.home, `shard-${i + 1}.ndjson`), r.stdout);
    });
    const merged = execFileSync('sh', ['-c', 'cat shard-*.ndjson'], { cwd: box.home, encoding: 'utf8' });
    const lines = merged
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { account: string; ok: boolean; value: { arns: string[] } });
    assert.equal(lines.length, N);
    assert.deepEqual(lines.map((l) => l.account).sort(), [...world.accounts].sort());
    for (const l of lines) {
      assert.ok(l.ok, JSON.stringify(l));
      assert.ok(l.value.arns.some((a) => a.includes(`::${l.account}:role/`)));
    }
    // Every shard did some of the work, and the accounts' AssumeRoles add up to one each.
    for (const r of shards) assert.notEqual(r.stdout.trim(), '');
    assert.equal(proxy.count('AssumeRoleWithWebIdentity'), SHARDS);
    assert.equal(proxy.count('AssumeRole'), N);
  });

  it('the built-in sweeps shard the same way: audit trust over four shards covers every account exactly once', async () => {
    const { box, proxy } = world;
    const accountsFile = join(box.home, 'accounts.txt');
    const tokenFile = join(box.home, 'oidc-token');
    writeOidcToken(tokenFile);
    const env = { ...world.env, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: `arn:aws:iam::${MOTO_MANAGEMENT_ACCOUNT}:role/ci-fanout` };
    proxy.reset();
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) =>
        runCli(['--json', 'audit', 'trust', '--shard', `${i + 1}/${SHARDS}`, '--accounts-file', accountsFile], { env, timeoutMs: 300_000 }),
      ),
    );
    // Every account's OrganizationAccountAccessRole trusts the management account without MFA: one finding (exit 12) per account at least.
    const byShard = shards.map((r, i) => {
      assert.equal(r.code, 12, `shard ${i + 1}: ${r.stderr}`);
      return new Set(
        r.stdout
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as { account: string }).account),
      );
    });
    const all = byShard.flatMap((s) => [...s]);
    assert.equal(all.length, N, 'no account in two shards');
    assert.deepEqual(all.sort(), [...world.accounts].sort());
    assert.equal(proxy.count('AssumeRole'), N);
  });
});
