// Cache-hit `rolehop export PROFILE --format credential-process` with the
// agent running (started by the session's first call, as a user's first
// call starts it), against bare `node -e 0` and against the same call without
// the agent (file backend: the vault's KDF is paid on every call). Wall time
// and CPU time: the client's, and the agent's own during each call, read from
// /proc/<agent pid>/stat around it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processCpuMs, totalMs } from '../cpu.js';
import { measureInterleaved, type Measured } from '../timing.js';
import { startMoto } from '../../test/helpers/moto.js';
import { seedMotoIdentity } from '../../test/helpers/run-cli.js';
import { cliWithServers } from '../../test/agent/cli-build.js';

const FLOOR = fileURLToPath(new URL('./agent-floor.cjs', import.meta.url));

export interface AgentBenchResult {
  runtime: string;
  runs: number;
  /** Median wall time of `node -e 0`. */
  nodeMs: number;
  /** Median cache hit without the agent (file backend, ROLEHOP_NO_AGENT=1). */
  withoutAgentMs: number;
  /** The session's first call (one run): unlocks the vault itself and starts the agent. */
  firstCallMs: number;
  /** Median cache hit with the agent, i.e. the second and later calls of a session (the agent started by the first). */
  withAgentMs: number;
  /** Median of the least possible Node client (agent-floor.cjs) against the same agent. */
  floorMs: number;
  /** withAgentMs / nodeMs (goal <= 1.2). */
  ratioToNode: number;
  /** withAgentMs / withoutAgentMs. */
  ratioToNoAgent: number;
  /** Mean CPU (user + system) of `node -e 0`, ms. */
  nodeCpuMs: number;
  /** Mean CPU of the cache hit without the agent, ms. */
  withoutAgentCpuMs: number;
  /** Mean CPU of the client with the agent, ms (the agent's share is apart). */
  withAgentCpuMs: number;
  /** Mean CPU the agent process used during each call of withAgentCpuMs, ms. */
  withAgentDaemonCpuMs: number;
  /** Mean CPU of agent-floor.cjs, ms. */
  floorCpuMs: number;
  /** Mean CPU the agent used during each agent-floor.cjs call, ms. */
  floorDaemonCpuMs: number;
  /** Mean CPU the agent used during each `node -e 0` run (its idle cost; ~0), ms. */
  nodeDaemonCpuMs: number;
  /** (withAgentCpuMs + withAgentDaemonCpuMs) / (nodeCpuMs + nodeDaemonCpuMs). */
  cpuRatioToNode: number;
  /** (withAgentCpuMs + withAgentDaemonCpuMs) / withoutAgentCpuMs. */
  cpuRatioToNoAgent: number;
  /** (floorCpuMs + floorDaemonCpuMs) / (nodeCpuMs + nodeDaemonCpuMs). */
  floorCpuRatioToNode: number;
}

/**
 * Runs the agent benchmark with `node` (default: this process's binary).
 * Uses the CLI bundle with the agent wired in (dist/cli.cjs once the
 * integrator registered it, a private build otherwise).
 */
/** The pid of the running agent, waiting for it to answer (it pays the KDF first). */
async function agentPid(node: string, cli: string, env: NodeJS.ProcessEnv): Promise<number> {
  for (let i = 0; i < 150; i++) {
    const status = spawnSync(node, [cli, '--json', 'agent', 'status'], { env, encoding: 'utf8' });
    const pid = status.status === 0 ? (JSON.parse(status.stdout) as { pid?: unknown }).pid : undefined;
    if (typeof pid === 'number') return pid;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the autostarted agent did not answer within 30 s');
}

export async function runAgentBenchmark(opts: { node?: string; runs?: number } = {}): Promise<AgentBenchResult> {
  const node = opts.node ?? process.execPath;
  const runs = opts.runs ?? 31;
  const cli = await cliWithServers();
  const moto = await startMoto();
  const home = mkdtempSync(join(tmpdir(), 'rolehop-agent-bench-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    ROLEHOP_HOME: join(home, '.rolehop'),
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_ENDPOINT_URL: moto.url,
    ROLEHOP_BACKEND: 'file',
    ROLEHOP_FILE_PASSPHRASE: 'bench',
    // Set up and measured without an agent first; the agent is then started the way a user's first call starts it.
    ROLEHOP_AGENT_AUTOSTART: '0',
  };
  try {
    const alice = await seedMotoIdentity(moto.url);
    mkdirSync(join(home, '.aws'));
    writeFileSync(
      join(home, '.aws', 'config'),
      `[profile alice]\nregion = us-east-1\nmfa_serial = ${alice.mfaSerial}\n\n[profile target]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = alice\n`,
    );
    const add = spawnSync(node, [cli, 'add', 'alice', '--env'], {
      env: { ...env, AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey },
    });
    if (add.status !== 0) throw new Error(`add failed: ${add.stderr}`);
    const warm = spawnSync(node, [cli, '--mfa-token', '123456', 'export', 'target', '--format', 'credential-process'], { env });
    if (warm.status !== 0) throw new Error(`warm-up failed: ${warm.stderr}`);
    const call = [cli, 'export', 'target', '--format', 'credential-process'];

    const bare = { cmd: node, args: ['-e', '0'], env: { PATH: env.PATH, HOME: env.HOME } };
    const [without] = measureInterleaved([{ cmd: node, args: call, env: { ...env, ROLEHOP_NO_AGENT: '1' } }], Math.min(runs, 9));
    // The first call of a session: unlocks the vault itself and starts the agent (autostart).
    const { ROLEHOP_AGENT_AUTOSTART: _off, ...autoEnv } = env;
    const t0 = performance.now();
    const first = spawnSync(node, call, { env: autoEnv, encoding: 'utf8' });
    const firstCallMs = performance.now() - t0;
    if (first.status !== 0 || !/started the agent/.test(first.stderr)) throw new Error(`the first call did not start the agent: ${first.stderr}`);
    let measured: Measured[];
    try {
      const pid = await agentPid(node, cli, env);
      // No passphrase in the caller's environment: only the agent can answer.
      // Interleaved with node -e 0 so both see the same machine.
      const { ROLEHOP_FILE_PASSPHRASE: _p, ...agentEnv } = env;
      measured = measureInterleaved([bare, { cmd: node, args: call, env: agentEnv }, { cmd: node, args: [FLOOR, 'target'], env: agentEnv }], runs, {
        daemonCpuMs: () => totalMs(processCpuMs(pid)),
      });
    } finally {
      spawnSync(node, [cli, 'agent', 'stop'], { env });
    }
    const [n, w, f] = measured as [Measured, Measured, Measured];
    const nodeTotal = n.cpuMs + n.daemonCpuMs!;
    const withTotal = w.cpuMs + w.daemonCpuMs!;
    return {
      runtime: `node ${spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim()}`,
      runs,
      nodeMs: n.wallMs,
      withoutAgentMs: without!.wallMs,
      firstCallMs,
      withAgentMs: w.wallMs,
      floorMs: f.wallMs,
      ratioToNode: w.wallMs / n.wallMs,
      ratioToNoAgent: w.wallMs / without!.wallMs,
      nodeCpuMs: n.cpuMs,
      withoutAgentCpuMs: without!.cpuMs,
      withAgentCpuMs: w.cpuMs,
      withAgentDaemonCpuMs: w.daemonCpuMs!,
      floorCpuMs: f.cpuMs,
      floorDaemonCpuMs: f.daemonCpuMs!,
      nodeDaemonCpuMs: n.daemonCpuMs!,
      cpuRatioToNode: withTotal / nodeTotal,
      cpuRatioToNoAgent: withTotal / without!.cpuMs,
      floorCpuRatioToNode: (f.cpuMs + f.daemonCpuMs!) / nodeTotal,
    };
  } finally {
    await moto.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
