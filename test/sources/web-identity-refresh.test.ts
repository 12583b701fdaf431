// The broker on a web identity source against moto through the counting
// proxy, with an injected clock: the role hop behind the token is cached,
// refreshed near expiry from the source it already has while that lasts,
// and once the source itself nears expiry the token file is read again, so
// a token the issuer rotated in between is what STS receives.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConfig } from '../../src/config/load-config.js';
import { parseIni } from '../../src/config/parse-ini.js';
import { isRolehopError } from '../../src/errors.js';
import { silentLogger } from '../../src/io/context.js';
import { createBroker } from '../../src/sessions/broker.js';
import { MemoryStore } from '../../src/stores/memory-store.js';
import { testContext } from '../helpers/context.js';
import { startCountingProxy, type CountingProxy } from '../helpers/counting-proxy.js';
import { startMoto, type MotoServer } from '../helpers/moto.js';
import { MOTO_MANAGEMENT_ACCOUNT } from '../helpers/moto-role-credentials.js';
import { writeOidcToken } from '../helpers/oidc-token.js';
import { createTargetAccounts } from '../helpers/run-cli.js';

describe('broker: web identity source refresh', () => {
  let moto: MotoServer;
  let proxy: CountingProxy;
  let home: string;
  let target: string;

  before(async () => {
    moto = await startMoto();
    proxy = await startCountingProxy(moto.url);
    [target] = (await createTargetAccounts(moto.url, 1)) as [string];
    home = mkdtempSync(join(tmpdir(), 'rolehop-web-identity-'));
  });
  after(async () => {
    await proxy?.stop();
    await moto?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  function brokerAt(clock: { now(): number }, tokenFile: string) {
    const path = join(home, 'config');
    const ini =
      `[profile ci]\nrole_arn = arn:aws:iam::${MOTO_MANAGEMENT_ACCOUNT}:role/ci\nweb_identity_token_file = ${tokenFile}\nregion = us-east-1\n\n` +
      `[profile admin]\nrole_arn = arn:aws:iam::${target}:role/OrganizationAccountAccessRole\nsource_profile = ci\n`;
    const config = buildConfig(parseIni(ini, path), path);
    const store = new MemoryStore();
    return createBroker({
      ctx: testContext({
        env: { AWS_ENDPOINT_URL: proxy.url },
        homeDir: home,
        rolehopHome: join(home, 'rolehop'),
        userName: 'ci',
        clock,
        logger: silentLogger,
      }),
      config: () => config,
      vault: { list: () => [], has: () => false, get: async () => assert.fail('no stored key'), put: async () => {}, remove: async () => true },
      store: async () => store,
    });
  }

  const tokensSent = () => proxy.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity').map((c) => c.params.WebIdentityToken);

  it('re-reads the rotated token file when the source nears expiry, and only then', async () => {
    proxy.reset();
    const tokenFile = join(home, 'token-rotating');
    const first = writeOidcToken(tokenFile);
    let now = Date.now();
    const broker = brokerAt({ now: () => now }, tokenFile);

    const a = await broker.credentials('admin');
    assert.equal(a.credentials.accountId, target);
    assert.deepEqual(tokensSent(), [first]);
    assert.equal(proxy.count('AssumeRole'), 1);

    assert.equal((await broker.credentials('admin')).fromCache, true);
    assert.equal(proxy.count('AssumeRole'), 1);

    const second = writeOidcToken(tokenFile);
    assert.notEqual(second, first);
    // 50 min on: the hop is inside its 15 min refresh window, the source still has 10 min: a new AssumeRole, no new token.
    now += 50 * 60_000;
    await broker.credentials('admin');
    assert.equal(proxy.count('AssumeRole'), 2);
    assert.deepEqual(tokensSent(), [first]);

    // Just before the hour: the source is used up, so the token file is read again.
    now += 9 * 60_000 + 30_000;
    const late = await broker.credentials('admin');
    assert.equal(late.fromCache, false);
    assert.deepEqual(tokensSent(), [first, second]);
    assert.equal(proxy.count('AssumeRole'), 3);
  });

  it('a missing or empty token file is a clear error naming the file, before any STS call', async () => {
    proxy.reset();
    const tokenFile = join(home, 'token-gone');
    const broker = brokerAt({ now: () => Date.now() }, tokenFile);
    const refused = (why: RegExp) => (e: unknown) => {
      assert.ok(isRolehopError(e), String(e));
      assert.equal(e.code, 'ERR_PROFILE_INVALID');
      assert.match(e.message, new RegExp(`web identity token file ${tokenFile} ${why.source}`));
      assert.match(e.hint ?? '', /web_identity_token_file/);
      return true;
    };
    await assert.rejects(broker.credentials('admin'), refused(/does not exist/));
    writeFileSync(tokenFile, '\n');
    await assert.rejects(broker.credentials('ci'), refused(/is empty/));
    unlinkSync(tokenFile);
    assert.equal(proxy.calls.length, 0);
  });
});
