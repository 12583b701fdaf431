// The agent against hostile or broken peers on its socket: whatever one
// connection sends, the agent answers an error (or drops that connection)
// and goes on serving every other caller.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgentDaemon } from '../../src/agent/agent-daemon.js';
import { AgentConnection, agentStatus, connectAgent, createAgentBroker } from '../../src/agent/agent-client.js';
import { ErrorCodes, RolehopError } from '../../src/errors.js';
import { agentPaths, MAX_LINE_BYTES } from '../../src/agent/protocol.js';
import { MemoryStore } from '../../src/stores/memory-store.js';
import { fakeBrokerFactory, noPlan, prompter, silent } from './fake-broker.js';

/** A raw connection to the agent: send bytes, read answered lines, see it closed. */
interface Raw {
  send(data: string | Buffer): void;
  /** The next answered line, parsed; rejects if the agent closes first. */
  next(): Promise<{ id: number; ok: boolean; result?: unknown; error?: { code: string; message: string } }>;
  /** Resolves once the agent has closed this connection. */
  closed: Promise<void>;
  socket: Socket;
}

function raw(home: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(agentPaths(home).socket);
    const lines: string[] = [];
    let waiter: (() => void) | undefined;
    let buf = '';
    let isClosed = false;
    const closed = new Promise<void>((r) => socket.once('close', () => ((isClosed = true), r(), waiter?.())));
    socket.on('error', () => {});
    socket.on('data', (d) => {
      buf += String(d);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
      waiter?.();
    });
    const next: Raw['next'] = async () => {
      while (!lines.length) {
        if (isClosed) throw new Error('closed without an answer');
        await new Promise<void>((r) => (waiter = r));
      }
      return JSON.parse(lines.shift()!);
    };
    socket.once('connect', () => resolve({ send: (d) => socket.write(d), next, closed, socket }));
    socket.once('error', reject);
  });
}

describe('agent fuzzing: one bad peer never takes the agent down', { timeout: 60_000 }, () => {
  let home: string;
  let abort: AbortController;
  let done: Promise<void>;
  let fake: ReturnType<typeof fakeBrokerFactory>;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'rolehop-agent-fuzz-'));
    abort = new AbortController();
    fake = fakeBrokerFactory();
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    done = runAgentDaemon({
      rolehopHome: home,
      homeDir: home,
      userName: 'tester',
      env: { HOME: home },
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

  /** The agent still answers a well-behaved caller. */
  async function stillServes(): Promise<void> {
    const conn = await connectAgent(home);
    assert.ok(conn, 'the agent still says hello');
    const b = createAgentBroker(conn, { env: {}, prompter: prompter(), plan: noPlan });
    assert.equal((await b.credentials('dev')).credentials.accessKeyId, 'ASIAAGENT');
    b.close();
  }

  for (const [what, frame] of [
    ['null', 'null\n'],
    ['a number', '5\n'],
    ['a string', '"hello"\n'],
    ['an array', '[1,2]\n'],
    ['invalid JSON', '{"id":1,"op":\n'],
    ['a string id', '{"id":"1","op":"hello"}\n'],
    ['a negative id', '{"id":-1,"op":"hello"}\n'],
    ['a bad askId', '{"askId":{}}\n'],
    ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0x7b, 0x0a])],
  ] as const) {
    it(`drops a connection that sends ${what}, and keeps serving`, async () => {
      const r = await raw(home);
      r.send(frame);
      await r.closed;
      await stillServes();
    });
  }

  it('caps a line: an endless one drops the connection without buffering it', async () => {
    const r = await raw(home);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    let isClosed = false;
    void r.closed.then(() => (isClosed = true));
    while (!isClosed && sent <= 4 * MAX_LINE_BYTES) {
      if (!r.socket.write(chunk)) await new Promise((ok) => setTimeout(ok, 5));
      sent += chunk.length;
    }
    await r.closed;
    assert.ok(sent <= 4 * MAX_LINE_BYTES, `dropped after ${sent} bytes`);
    await stillServes();
  });

  for (const [what, frame, message] of [
    ['an unknown operation', { id: 1, op: 'format-disk' }, /Unknown agent operation/],
    ['an operation that is not a string', { id: 1, op: 7 }, /Malformed/],
    ['arguments that are not an array', { id: 1, op: 'credentials', args: 'dev' }, /Malformed/],
    ['a profile that is an object', { id: 1, op: 'credentials', args: [{ toString: 1 }] }, /Malformed/],
    ['a request of the wrong type', { id: 1, op: 'credentials', args: ['dev', { durationSeconds: 'long' }] }, /Malformed/],
    ['an assumeRole without a role', { id: 1, op: 'assumeRole', args: [null] }, /Malformed/],
    ['an environment of numbers', { id: 1, op: 'credentials', args: ['dev'], env: { AWS_REGION: 5 } }, /Malformed/],
    ['an environment that is a string', { id: 1, op: 'credentials', args: ['dev'], env: 'AWS_REGION=x' }, /Malformed/],
    ['a version that is not a number', { id: 1, op: 'hello', v: '1' }, /Malformed/],
  ] as const) {
    it(`answers ${what} with ERR_AGENT on the same connection, which goes on`, async () => {
      const r = await raw(home);
      r.send(JSON.stringify(frame) + '\n');
      const a = await r.next();
      assert.equal(a.id, 1);
      assert.equal(a.ok, false);
      assert.equal(a.error?.code, 'ERR_AGENT');
      assert.match(a.error?.message ?? '', message);
      r.send(JSON.stringify({ id: 2, op: 'hello' }) + '\n');
      assert.equal((await r.next()).ok, true, 'the connection still serves');
      r.socket.destroy();
    });
  }

  it('ignores __proto__ and unrelated keys in the caller environment', async () => {
    const r = await raw(home);
    r.send('{"id":1,"op":"credentials","args":["proto"],"env":{"__proto__":{"AWS_REGION":"evil-1"},"PATH":"/evil"}}\n');
    const a = (await r.next()) as { ok: boolean; result?: { plan: { region?: string } } };
    assert.equal(a.ok, true);
    assert.equal(a.result?.plan.region, undefined, 'no region smuggled in through the prototype');
    const ctx = fake.made.at(-1)!;
    assert.notEqual(ctx.env.PATH, '/evil');
    assert.equal(Object.getPrototypeOf(ctx.env), Object.prototype);
    r.socket.destroy();
  });

  it('ignores an answer to a question it never asked, whatever its code', async () => {
    const r = await raw(home);
    r.send('{"askId":99,"error":{"code":"ERR_BOGUS","message":{}}}\n{"askId":98,"answer":5}\n{"id":3,"op":"hello"}\n');
    assert.equal((await r.next()).id, 3);
    r.socket.destroy();
  });

  it('survives half a frame and a hang-up, and many connections at once', async () => {
    const half = await raw(home);
    half.send('{"id":5,"op":"creden');
    half.socket.end();
    await half.closed;
    const bad = await Promise.all(Array.from({ length: 60 }, () => raw(home)));
    const good = await Promise.all(Array.from({ length: 10 }, () => connectAgent(home)));
    bad.forEach((r, i) => r.send(i % 2 ? 'null\n' : '{"id":1,"op":"credentials","args":[[]]}\n'));
    const answers = await Promise.all(good.map((c) => createAgentBroker(c!, { env: {}, prompter: prompter(), plan: noPlan }).credentials('many')));
    assert.equal(answers.length, 10);
    for (const r of bad) r.socket.destroy();
    for (const c of good) c!.close();
    assert.ok((await agentStatus(home))?.pid);
  });
});

describe('a client whose agent falls silent', { timeout: 30_000 }, () => {
  it('gives up on a request after the silence limit with ERR_AGENT, and on a hello that never comes', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rolehop-agent-silent-'));
    const { dir, socket } = agentPaths(home);
    mkdirSync(dir, { mode: 0o700 });
    const server = createServer((s) => s.on('error', () => {}));
    await new Promise<void>((r) => server.listen(socket, r));
    try {
      const conn = (await AgentConnection.open(home, 1000, 200))!;
      await assert.rejects(conn.request('credentials', ['dev']), (e: RolehopError) => e.code === ErrorCodes.AGENT);
      const t = Date.now();
      assert.equal(await connectAgent(home), undefined, 'a silent agent is no agent');
      assert.ok(Date.now() - t < 20_000);
    } finally {
      server.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
