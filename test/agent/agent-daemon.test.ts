import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgentDaemon } from '../../src/agent/agent-daemon.js';
import { AgentConnection, connectAgent, createAgentBroker, agentStatus } from '../../src/agent/agent-client.js';
import { agentPaths } from '../../src/agent/protocol.js';
import { parseIdleTimeout } from '../../src/agent/idle-timeout.js';
import { ErrorCodes, RolehopError } from '../../src/errors.js';
import { MemoryStore } from '../../src/stores/memory-store.js';
import { credentialProcessViaAgent, credentialsViaAgent } from '../../src/hot-path/agent-hit.js';
import { fakeBrokerFactory, noPlan, prompter, silent } from './fake-broker.js';

describe('agent daemon and client (in process)', () => {
  let home: string;
  let abort: AbortController;
  let done: Promise<void>;
  let fake: ReturnType<typeof fakeBrokerFactory>;
  const passphrase = Buffer.from('correct horse');

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'rolehop-agent-'));
    abort = new AbortController();
    fake = fakeBrokerFactory();
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    done = runAgentDaemon({
      rolehopHome: home,
      homeDir: home,
      userName: 'tester',
      env: { HOME: home, PATH: '/bin' },
      passphrase,
      idleTimeoutMs: 0,
      signal: abort.signal,
      logger: silent,
      openStore: async () => new MemoryStore(),
      makeBroker: (ctx) => fake.factory(ctx),
      onReady: () => ready(),
    });
    await Promise.race([isReady, done]);
  });
  after(async () => {
    abort.abort();
    await done;
    rmSync(home, { recursive: true, force: true });
  });

  it('makes a 0700 directory and a 0600 socket', () => {
    const p = agentPaths(home);
    assert.equal(statSync(p.dir).mode & 0o777, 0o700);
    assert.equal(statSync(p.socket).mode & 0o777, 0o600);
  });

  it('serves credentials with revived dates and the caller environment', async () => {
    const conn = (await connectAgent(home))!;
    const b = createAgentBroker(conn, { env: { AWS_REGION: 'eu-west-1', UNRELATED: 'x' }, prompter: prompter(), plan: noPlan });
    const r = await b.credentials('dev');
    assert.ok(r.credentials.expiration instanceof Date);
    assert.equal(r.plan.region, 'eu-west-1');
    const ctx = fake.made.at(-1)!;
    assert.equal(ctx.env.UNRELATED, undefined, 'only relevant variables are sent');
    assert.equal(ctx.env.PATH, '/bin', 'the agent keeps its own environment for the rest');
    assert.equal((await b.assumeRole({ sourceProfile: 'dev', roleArn: 'arn:aws:iam::1:role/x' })).expiration instanceof Date, true);
    assert.equal(await b.clearSessions(), 3);
    b.close();
  });

  it('answers the hot path credentials request as the broker would, dates revived', async () => {
    const r = await credentialsViaAgent(
      'dev',
      { region: 'eu-west-1' },
      { rolehopHome: home, env: { HOME: home, AWS_REGION: 'eu-west-1' }, mfaCode: async () => assert.fail('no MFA expected') },
    );
    assert.ok(r?.credentials.expiration instanceof Date);
    assert.equal(r.credentials.accessKeyId, 'ASIAAGENT');
    assert.equal(r.plan.region, 'eu-west-1');
    await assert.rejects(
      () => credentialsViaAgent('bad', {}, { rolehopHome: home, env: { HOME: home }, mfaCode: async () => '1' }),
      (e: unknown) => e instanceof RolehopError && e.code === ErrorCodes.PROFILE_NOT_FOUND,
    );
  });

  it('answers credential_process in one round trip, MFA and errors included', async () => {
    const doc = await credentialProcessViaAgent('dev', { rolehopHome: home, env: { HOME: home }, mfaCode: async () => assert.fail('no MFA expected') });
    assert.deepEqual(JSON.parse(doc!), { Version: 1, AccessKeyId: 'ASIAAGENT', SecretAccessKey: 's', SessionToken: 't', Expiration: '2030-01-01T00:00:00Z' });
    const asked: string[] = [];
    const viaMfa = await credentialProcessViaAgent('mfa', {
      rolehopHome: home,
      env: { HOME: home },
      mfaCode: async (req) => (asked.push(req.serial), '123456'),
    });
    assert.match(viaMfa!, /ASIAAGENT/);
    assert.deepEqual(asked, ['arn:aws:iam::123456789012:mfa/alice']);
    await assert.rejects(
      () => credentialProcessViaAgent('bad', { rolehopHome: home, env: { HOME: home }, mfaCode: async () => '1' }),
      (e: unknown) => e instanceof RolehopError && e.code === ErrorCodes.PROFILE_NOT_FOUND && e.hint === 'check config',
    );
    // An agent of another protocol version refuses the request: take the normal path.
    const other = mkdtempSync(join(tmpdir(), 'rolehop-oldagent-'));
    mkdirSync(agentPaths(other).dir, { mode: 0o700 });
    const old = createServer((s) =>
      s.once('data', (d) =>
        s.write(
          JSON.stringify({ id: JSON.parse(String(d)).id, ok: false, error: { code: ErrorCodes.AGENT, message: 'Agent protocol version mismatch' } }) + '\n',
        ),
      ),
    );
    await new Promise<void>((r) => old.listen(agentPaths(other).socket, r));
    try {
      assert.equal(await credentialProcessViaAgent('dev', { rolehopHome: other, env: {}, mfaCode: async () => '1' }), undefined);
    } finally {
      old.close();
      rmSync(other, { recursive: true, force: true });
    }
    const elsewhere = mkdtempSync(join(tmpdir(), 'rolehop-noagent-'));
    try {
      assert.equal(
        await credentialProcessViaAgent('dev', { rolehopHome: elsewhere, env: {}, mfaCode: async () => '1' }),
        undefined,
        'no agent: take the normal path',
      );
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('coalesces identical concurrent requests into one broker call', async () => {
    const conns = await Promise.all(Array.from({ length: 10 }, () => connectAgent(home)));
    const before = fake.calls;
    const rs = await Promise.all(
      conns.flatMap((c) => [0, 1].map(() => createAgentBroker(c!, { env: {}, prompter: prompter(), plan: noPlan }).credentials('shared'))),
    );
    assert.equal(rs.length, 20);
    assert.equal(fake.calls - before, 1);
    for (const c of conns) c!.close();
  });

  it('forwards MFA questions to the caller', async () => {
    const conn = (await connectAgent(home))!;
    const ok = createAgentBroker(conn, { env: {}, prompter: prompter('123456'), plan: noPlan });
    assert.equal((await ok.credentials('mfa')).credentials.accessKeyId, 'ASIAAGENT');
    const bad = createAgentBroker(conn, { env: { AWS_REGION: 'x' }, prompter: prompter('000000'), plan: noPlan });
    await assert.rejects(bad.credentials('mfa'), (e: RolehopError) => e.code === ErrorCodes.MFA_INVALID);
    conn.close();
  });

  it('passes RolehopErrors through with code and hint', async () => {
    const conn = (await connectAgent(home))!;
    const b = createAgentBroker(conn, { env: {}, prompter: prompter(), plan: noPlan });
    await assert.rejects(b.credentials('bad'), (e: RolehopError) => e.code === ErrorCodes.PROFILE_NOT_FOUND && e.hint === 'check config');
    conn.close();
  });

  it('reports status', async () => {
    const s = await agentStatus(home);
    assert.equal(s?.pid, process.pid);
    assert.ok((s?.requests ?? 0) > 0);
  });

  it('is not trusted when its directory is not private', async () => {
    const { dir } = agentPaths(home);
    chmodSync(dir, 0o755);
    try {
      assert.equal(await AgentConnection.open(home), undefined);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('stop closes the socket, removes it and zeroes the passphrase', async () => {
    const conn = (await connectAgent(home))!;
    await conn.request('stop');
    await done;
    assert.ok(!existsSync(agentPaths(home).socket));
    assert.ok(passphrase.every((b) => b === 0));
    assert.equal(await connectAgent(home), undefined);
  });
});

describe('agent idle timeout', () => {
  it('exits after the idle timeout', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rolehop-agent-'));
    try {
      const t = Date.now();
      await runAgentDaemon({
        rolehopHome: home,
        homeDir: home,
        userName: 't',
        env: {},
        idleTimeoutMs: 300,
        signal: new AbortController().signal,
        logger: silent,
        openStore: async () => new MemoryStore(),
        makeBroker: (ctx) => fakeBrokerFactory().factory(ctx),
      });
      assert.ok(Date.now() - t >= 290);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('parses durations', () => {
    assert.equal(parseIdleTimeout('1h'), 3600_000);
    assert.equal(parseIdleTimeout('1h30m'), 5400_000);
    assert.equal(parseIdleTimeout('90'), 90_000);
    assert.equal(parseIdleTimeout('0'), 0);
    assert.throws(
      () => parseIdleTimeout('soon'),
      (e: RolehopError) => e.code === ErrorCodes.USAGE,
    );
  });
});
