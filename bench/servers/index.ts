// Server and agent benchmarks for `npm run bench` (bench/run.ts calls
// runServerBenchmarks). Also writes bench/results/servers.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runAgentBenchmark, type AgentBenchResult } from './agent-bench.js';
import { runEcsBenchmark, type EcsBenchResult } from './ecs-bench.js';

export interface ServerBenchResults {
  machine: { cores: number; date: string };
  ecs?: EcsBenchResult | { error: string };
  /** One result per runtime (Node 20, and Node 24 when installed). */
  agent?: Array<AgentBenchResult | { error: string }>;
}

async function attempt<T>(fn: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await fn();
  } catch (e) {
    return { error: String((e as Error)?.message ?? e) };
  }
}

/** Runs both benchmarks; returns JSON and a Markdown section. */
export async function runServerBenchmarks(): Promise<{ json: ServerBenchResults; markdown: string }> {
  const os = await import('node:os');
  const json: ServerBenchResults = { machine: { cores: os.cpus().length, date: new Date().toISOString() } };
  json.ecs = await attempt(() => runEcsBenchmark());
  const node24 = resolve('.cache/node24/node_modules/node/bin/node');
  json.agent = [await attempt(() => runAgentBenchmark())];
  if (existsSync(node24)) json.agent.push(await attempt(() => runAgentBenchmark({ node: node24 })));
  mkdirSync(resolve('bench/results'), { recursive: true });
  writeFileSync(resolve('bench/results/servers.json'), JSON.stringify(json, null, 2) + '\n');

  const md: string[] = ['## Credential servers and agent', ''];
  if (json.ecs && !('error' in json.ecs)) {
    const e = json.ecs;
    md.push(
      `ECS endpoint under wrk (${e.threads} thread, ${e.connections} connections, ${e.rounds} x ${e.durationSeconds} s, loopback), vs a bare node:http server with a fixed JSON body:`,
      '',
      '| server | requests/s | p50 | p99 | server CPU per request | server CPU busy |',
      '|---|---|---|---|---|---|',
      ...(
        [
          ['bare node:http', e.bare],
          ['rolehop ECS server', e.ecs],
        ] as const
      ).map(
        ([name, w]) =>
          `| ${name} | ${w.requestsPerSec.toFixed(0)} | ${w.p50Ms.toFixed(3)} ms | ${w.p99Ms.toFixed(3)} ms | ${w.cpuUsPerRequest.toFixed(1)} µs | ${(w.serverCores * 100).toFixed(0)}% of a core |`,
      ),
      '',
      `Throughput ratio ${e.throughputRatio.toFixed(2)}x (goal >= 0.8x); p99 ratio ${e.p99Ratio.toFixed(2)}x; server CPU per request ratio ${e.cpuPerRequestRatio.toFixed(2)}x.`,
      '',
    );
  } else md.push(`ECS benchmark failed: ${(json.ecs as { error: string } | undefined)?.error}`, '');
  const agents = json.agent ?? [];
  const ok = agents.filter((a): a is AgentBenchResult => !('error' in a));
  if (ok.length) {
    md.push(
      `Cache-hit \`export --format credential-process\`, file backend, ${ok[0]!.runs} runs interleaved with \`node -e 0\` (without the agent: 9 runs on their own). CPU is the client's plus the agent's during each call (the agent's share in brackets); ratios are to the \`node -e 0\` row:`,
      '',
      '| runtime | client | wall | CPU (agent) | wall ratio | CPU ratio |',
      '|---|---|---|---|---|---|',
      ...ok.flatMap((a) => {
        const cpu = (client: number, agent: number) => `${(client + agent).toFixed(1)} ms (${agent.toFixed(1)})`;
        return [
          `| ${a.runtime} | \`node -e 0\` | ${a.nodeMs.toFixed(1)} ms | ${cpu(a.nodeCpuMs, a.nodeDaemonCpuMs)} | 1.00x | 1.00x |`,
          `| ${a.runtime} | rolehop, first call of the session (starts the agent; 1 run) | ${a.firstCallMs.toFixed(0)} ms | | | |`,
          `| ${a.runtime} | rolehop, second and later calls (the agent it started) | ${a.withAgentMs.toFixed(1)} ms | ${cpu(a.withAgentCpuMs, a.withAgentDaemonCpuMs)} | ${a.ratioToNode.toFixed(2)}x (goal <= 1.2x) | ${a.cpuRatioToNode.toFixed(2)}x |`,
          `| ${a.runtime} | least possible Node client (agent-floor.cjs) | ${a.floorMs.toFixed(1)} ms | ${cpu(a.floorCpuMs, a.floorDaemonCpuMs)} | ${(a.floorMs / a.nodeMs).toFixed(2)}x | ${a.floorCpuRatioToNode.toFixed(2)}x |`,
          `| ${a.runtime} | rolehop, without agent | ${a.withoutAgentMs.toFixed(0)} ms | ${a.withoutAgentCpuMs.toFixed(0)} ms (none) | with agent: ${a.ratioToNoAgent.toFixed(2)}x of this | with agent: ${a.cpuRatioToNoAgent.toFixed(2)}x of this |`,
        ];
      }),
      '',
    );
  }
  for (const a of agents) if ('error' in a) md.push(`Agent benchmark failed: ${a.error}`, '');
  return { json, markdown: md.join('\n') };
}
