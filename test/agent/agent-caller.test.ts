// The built CLI against agents that misbehave: a stand-in on the agent socket
// that hangs up or garbles its answers mid-request, a real agent killed with
// SIGKILL (its socket left behind), and an agent that cannot start. A caller
// whose agent goes away takes the normal path; agent failures exit 4.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { agentPaths } from '../../src/agent/protocol.js';
import { runCli } from '../helpers/run-cli.js';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { cliWithServers } from './cli-build.js';
import { processAlive } from '../helpers/processes.js';

const KEY = 'ASIAFROMPROCESS00001';
const DOC = JSON.stringify({
  Version: 1,
  AccessKeyId: KEY,
  SecretAccessKey: 'process-secret',
  SessionToken: 'process-token',
  Expiration: '2099-01-01T00:00:00Z',
});

/** How the stand-in treats every request but `hello`. */
type Misbehaviour = 'hang-up' | 'garble-shape' | 'garble-json' | 'wrong-result';

/** A fake agent: answers hello like a real one, then misbehaves. Counts the requests it saw. */
function standIn(socket: string, how: Misbehaviour): Promise<Server & { seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((s: Socket) => {
    let buf = '';
    s.on('error', () => {});
    s.on('data', (d) => {
      buf += String(d);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const req = JSON.parse(buf.slice(0, nl)) as { id: number; op: string };
        buf = buf.slice(nl + 1);
        seen.push(req.op);
        if (req.op === 'hello') s.write(JSON.stringify({ id: req.id, ok: true, result: { version: 1, pid: 1 } }) + '\n');
        else if (how === 'hang-up') s.destroy();
        else if (how === 'garble-shape') s.write(JSON.stringify({ id: req.id, ok: false }) + '\n');
        else if (how === 'garble-json') s.write('{"id":' + req.id + ',"ok":tru\n');
        else s.write(JSON.stringify({ id: req.id, ok: true, result: { credentials: 5 } }) + '\n');
      }
    });
  }) as Server & { seen: string[] };
  server.seen = seen;
  return new Promise((resolve) => server.listen(socket, () => resolve(server)));
}

describe('callers of an agent that goes away', () => {
  let box: Sandbox;
  let cli: string;
  let env: Record<string, string>;

  before(async () => {
    cli = await cliWithServers();
    box = await makeSandbox();
    // A profile served by credential_process: the normal path needs no AWS.
    // `slow` keeps a request in flight long enough to kill the agent under it.
    box.writeConfig(
      `[profile cp]\nregion = eu-west-1\ncredential_process = echo '${DOC}'\n\n[profile slow]\nregion = eu-west-1\ncredential_process = sleep 1.5; echo '${DOC}'\n`,
    );
    env = box.env();
  });
  after(async () => {
    await runCli(['agent', 'stop'], { cli, env }).catch(() => {});
    await box?.cleanup();
  });

  const exportCp = (args: string[] = []) => runCli([...args, 'export', 'cp', '--format', 'credential-process'], { cli, env, timeoutMs: 30_000 });

  for (const how of ['hang-up', 'garble-shape', 'garble-json', 'wrong-result'] as const) {
    it(`an agent that answers hello, then ${how}s, sends credential_process and the CLI down the normal path`, async () => {
      const { dir, socket } = agentPaths(box.rolehopHome);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const server = await standIn(socket, how);
      try {
        // The hot path (credential_process as AWS tools call it) and the full CLI (--json skips the hot path).
        for (const args of [[], ['--json']]) {
          const r = await exportCp(args);
          assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
          assert.equal(JSON.parse(r.stdout).AccessKeyId, KEY);
          assert.doesNotMatch(r.stderr, /at .*\.(c|m)?js:\d+/, 'no stack trace');
        }
        assert.ok(
          server.seen.some((op) => op !== 'hello'),
          `the stand-in was asked for credentials (${server.seen.join(',')})`,
        );
      } finally {
        await new Promise((r) => server.close(r));
        rmSync(socket, { force: true });
      }
    });
  }

  for (const args of [[], ['--json']]) {
    it(`a caller whose agent is killed mid-request takes the normal path (${args.length ? 'CLI' : 'hot path'})`, async () => {
      const start = await runCli(['agent', 'start', '--idle-timeout', '5m'], { cli, env });
      assert.equal(start.code, 0, start.stderr);
      const pid = Number(/pid (\d+)/.exec(start.stdout)?.[1]);
      const pending = runCli([...args, 'export', 'slow', '--format', 'credential-process'], { cli, env, timeoutMs: 30_000 });
      // The agent runs the profile's credential_process: the request is in flight.
      for (let i = 0; i < 200 && childrenOf(pid) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(childrenOf(pid) > 0, 'the agent was serving the request');
      process.kill(pid, 'SIGKILL');
      const r = await pending;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).AccessKeyId, KEY);
    });
  }

  it('after SIGKILL the leftover socket is harmless: callers take the normal path, `agent start` replaces it', async () => {
    const start = await runCli(['agent', 'start', '--idle-timeout', '5m'], { cli, env });
    assert.equal(start.code, 0, start.stderr);
    const pid = Number(/pid (\d+)/.exec(start.stdout)?.[1]);
    process.kill(pid, 'SIGKILL');
    const { socket } = agentPaths(box.rolehopHome);
    for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(socket), 'a killed agent leaves its socket behind');
    const r = await exportCp();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).AccessKeyId, KEY);
    const again = await runCli(['agent', 'start', '--idle-timeout', '5m'], { cli, env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /agent started/);
    // A live agent is never replaced.
    const third = await runCli(['--json', 'agent', 'start'], { cli, env });
    assert.equal(third.code, 0, third.stderr);
    assert.equal(JSON.parse(third.stdout).alreadyRunning, true);
    assert.equal((await runCli(['agent', 'status'], { cli, env })).code, 0);
    assert.equal((await runCli(['agent', 'stop'], { cli, env })).code, 0);
  });

  it('an agent that cannot start exits 4 (vault), with ERR_AGENT and a hint', async () => {
    const { dir } = agentPaths(box.rolehopHome);
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, 'not a directory');
    try {
      const r = await runCli(['--json', 'agent', 'start'], { cli, env });
      assert.equal(r.code, 4, r.stderr);
      const err = (JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: { code: string; hint?: string } }).error;
      assert.equal(err.code, 'ERR_AGENT');
      assert.ok(err.hint);
    } finally {
      rmSync(dir, { force: true });
    }
  });
});

/** How many processes have `pid` as their parent (Linux /proc). */
function childrenOf(pid: number): number {
  let n = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // The command name in parentheses may hold spaces: the parent pid is the second field after it.
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) n++;
    } catch {
      // the process ended meanwhile
    }
  }
  return n;
}
