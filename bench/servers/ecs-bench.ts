// ECS endpoint throughput and p99 under wrk, against a bare node:http server
// with a fixed JSON body in the same run. Both run in their own process;
// wrk uses 1 thread and 2 connections so the 2-core machine gives one core
// to the server and one to the load generator. The server's CPU time during
// each wrk run is read from /proc/<server pid>/stat before and after it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processCpuMs, totalMs } from '../cpu.js';

/** What `wrk --latency` reports. */
export interface WrkOutput {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** Requests completed in the run. */
  requests: number;
}

/** One wrk run (or the mean of several) with the server's CPU time beside it. */
export interface WrkResult extends WrkOutput {
  /** CPU time (user + system) of the server process during the run, ms. */
  serverCpuMs: number;
  /** serverCpuMs per request, µs. */
  cpuUsPerRequest: number;
  /** serverCpuMs / the run's wall time: cores the server kept busy. */
  serverCores: number;
}

export interface EcsBenchResult {
  durationSeconds: number;
  threads: number;
  connections: number;
  rounds: number;
  bare: WrkResult;
  ecs: WrkResult;
  /** ecs / bare requests per second (goal >= 0.8). */
  throughputRatio: number;
  /** ecs / bare p99 latency. */
  p99Ratio: number;
  /** ecs / bare server CPU per request. */
  cpuPerRequestRatio: number;
}

const CHILD = fileURLToPath(new URL('./http-child.ts', import.meta.url));

function toMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(v.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

/** Parses `wrk --latency` output. */
export function parseWrk(out: string): WrkOutput {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = toMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const p99 = toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in /.exec(out)?.[1]);
  if (!Number.isFinite(rps) || !Number.isFinite(requests)) throw new Error(`cannot parse wrk output:\n${out}`);
  return { requestsPerSec: rps, p50Ms: p50, p99Ms: p99, non2xx, requests };
}

async function startChild(kind: 'ecs' | 'bare'): Promise<{ url: string; token: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (c) => reject(new Error(`${kind} server exited ${c}`)));
  });
  const info = JSON.parse(line) as { url: string; token: string };
  return { ...info, pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

function wrk(server: { url: string; token: string; pid: number }, seconds: number, threads: number, connections: number, dir: string): WrkResult {
  const script = join(dir, 'auth.lua');
  writeFileSync(script, `wrk.headers["Authorization"] = "${server.token}"\n`);
  const c0 = totalMs(processCpuMs(server.pid));
  const t0 = performance.now();
  const r = spawnSync('wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, server.url], { encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  const serverCpuMs = totalMs(processCpuMs(server.pid)) - c0;
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr || r.error}`);
  const out = parseWrk(r.stdout);
  return { ...out, serverCpuMs, cpuUsPerRequest: (serverCpuMs * 1000) / out.requests, serverCores: serverCpuMs / wallMs };
}

const avg = (xs: WrkResult[], f: (x: WrkResult) => number) => xs.reduce((a, x) => a + f(x), 0) / xs.length;
const mean = (xs: WrkResult[]): WrkResult => ({
  requestsPerSec: avg(xs, (x) => x.requestsPerSec),
  p50Ms: avg(xs, (x) => x.p50Ms),
  p99Ms: avg(xs, (x) => x.p99Ms),
  non2xx: xs.reduce((a, x) => a + x.non2xx, 0),
  requests: avg(xs, (x) => x.requests),
  serverCpuMs: avg(xs, (x) => x.serverCpuMs),
  // Over all requests of all rounds, not a mean of per-round ratios.
  cpuUsPerRequest: (xs.reduce((a, x) => a + x.serverCpuMs, 0) * 1000) / xs.reduce((a, x) => a + x.requests, 0),
  serverCores: avg(xs, (x) => x.serverCores),
});

/** Runs bare and ECS alternately `rounds` times for `seconds` each; averages. */
export async function runEcsBenchmark(opts: { seconds?: number; rounds?: number; threads?: number; connections?: number } = {}): Promise<EcsBenchResult> {
  const seconds = opts.seconds ?? 5;
  const rounds = opts.rounds ?? 2;
  const threads = opts.threads ?? 1;
  const connections = opts.connections ?? 2;
  if (spawnSync('wrk', ['--version']).error) throw new Error('wrk is not installed (apt-get install -y wrk)');
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-wrk-'));
  const bare = await startChild('bare');
  const ecs = await startChild('ecs');
  try {
    // Warm both (JIT) before measuring.
    wrk(bare, 1, threads, connections, dir);
    wrk(ecs, 1, threads, connections, dir);
    const b: WrkResult[] = [];
    const e: WrkResult[] = [];
    for (let i = 0; i < rounds; i++) {
      b.push(wrk(bare, seconds, threads, connections, dir));
      e.push(wrk(ecs, seconds, threads, connections, dir));
    }
    const bareR = mean(b);
    const ecsR = mean(e);
    if (ecsR.non2xx) throw new Error(`the ECS server refused ${ecsR.non2xx} benchmark requests`);
    return {
      durationSeconds: seconds,
      threads,
      connections,
      rounds,
      bare: bareR,
      ecs: ecsR,
      throughputRatio: ecsR.requestsPerSec / bareR.requestsPerSec,
      p99Ratio: ecsR.p99Ms / bareR.p99Ms,
      cpuPerRequestRatio: ecsR.cpuUsPerRequest / bareR.cpuUsPerRequest,
    };
  } finally {
    bare.stop();
    ecs.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
