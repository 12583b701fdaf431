// Shared pieces of the benchmarks that measure work in a fresh child process
// (fan-out, roles plan): starting the child and reading its one JSON line,
// the child's own measure of its span, and the summary of several runs.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** Node 24 as scripts/setup.sh installs it, for the sections that run on both runtimes (absent: they run on this one only). */
export const NODE24 = resolve('.cache/node24/node_modules/node/bin/node');

/** The true median (mean of the two middle values for an even count); NaN for none. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2 : NaN;
}

/** `n` distinct, stable 12-digit account ids (no Organizations needed: moto lets any account be assumed). */
export function accountIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(200000000000 + i * 104729).slice(0, 12));
}

/**
 * Runs `node ...nodeArgs --import tsx <script> ...args` (`node` defaults to this process's) and resolves with the JSON object
 * on the last line of its stdout. Rejects, with the tail of its stderr, when
 * it exits non-zero or prints no JSON line. `T` is what the caller trusts it to print.
 */
export function runJsonChild<T = Record<string, number>>(script: string, args: string[], nodeArgs: string[] = [], node = process.execPath): Promise<T> {
  return new Promise((res, rej) => {
    const p = spawn(node, [...nodeArgs, '--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b));
    p.stderr.on('data', (b: Buffer) => (err += b));
    p.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) rej(new Error(`${script} failed (${code}): ${err.slice(-800)}`));
      else res(JSON.parse(line) as T);
    });
  });
}

/** What a child measured over its span: wall and CPU ms, peak RSS in MB. */
export interface SpanMeasure {
  wallMs: number;
  /** user + system of this whole process (all threads) over the same span as wallMs. */
  cpuMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Peak resident set size of the process's whole life, MB. */
  maxRssMb: number;
}

/** Starts measuring now; the returned function gives the span so far (call it once the work is done). */
export function startSpan(): () => SpanMeasure {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  return () => {
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return {
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
  };
}

/** Writes one JSON line to stdout: what {@link runJsonChild} reads. */
export function report(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(fields)}\n`);
}
