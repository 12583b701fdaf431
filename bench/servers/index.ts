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
      '| server | requests/s | p50 | p99 |',
      '|---|---|---|---|',
      `| bare node:http | ${e.bare.requestsPerSec.toFixed(0)} | ${e.bare.p50Ms.toFixed(3)} ms | ${e.bare.p99Ms.toFixed(3)} ms |`,
      `| rolehop ECS server | ${e.ecs.requestsPerSec.toFixed(0)} | ${e.ecs.p50Ms.toFixed(3)} ms | ${e.ecs.p99Ms.toFixed(3)} ms |`,
      '',
      `Throughput ratio ${e.throughputRatio.toFixed(2)}x (goal >= 0.8x); p99 ratio ${e.p99Ratio.toFixed(2)}x.`,
      '',
    );
  } else md.push(`ECS benchmark failed: ${(json.ecs as { error: string } | undefined)?.error}`, '');
  const agents = json.agent ?? [];
  const ok = agents.filter((a): a is AgentBenchResult => !('error' in a));
  if (ok.length) {
    md.push(
      `Cache-hit \`export --format credential-process\`, file backend, medians of ${ok[0]!.runs} runs interleaved with \`node -e 0\` (without the agent: 9 runs):`,
      '',
      '| runtime | node -e 0 | without agent | with agent | with agent vs node -e 0 | with vs without | least possible Node client (agent-floor.cjs) |',
      '|---|---|---|---|---|---|---|',
      ...ok.map(
        (a) =>
          `| ${a.runtime} | ${a.nodeMs.toFixed(0)} ms | ${a.withoutAgentMs.toFixed(0)} ms | ${a.withAgentMs.toFixed(1)} ms | ${a.ratioToNode.toFixed(2)}x (goal <= 1.2x) | ${a.ratioToNoAgent.toFixed(2)}x | ${a.floorMs.toFixed(1)} ms, ${(a.floorMs / a.nodeMs).toFixed(2)}x |`,
      ),
      '',
    );
  }
  for (const a of agents) if ('error' in a) md.push(`Agent benchmark failed: ${a.error}`, '');
  return { json, markdown: md.join('\n') };
}
