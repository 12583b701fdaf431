import { join } from 'node:path';
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { FanOutStats, TargetResult } from '../../engine/types.js';
import { escapeControl } from './escape-control.js';

/** The NDJSON line of a result: every documented field present, null when not applicable. */
export function resultLine(r: TargetResult): string {
  const line = {
    account: r.account,
    region: r.region,
    name: r.name ?? null,
    ok: r.ok,
    exitCode: r.exitCode ?? null,
    durationMs: r.durationMs,
    ...(r.stdout !== undefined ? { stdout: r.stdout, stderr: r.stderr ?? '' } : { value: r.value ?? null }),
    error: r.error ?? null,
    attempts: r.attempts,
    retries: r.retries,
  };
  return `${JSON.stringify(line)}\n`;
}

/**
 * Human form: command output annotated line by line, job values as JSON,
 * failures as one line. With `terminal`, the command's output is escaped
 * ({@link escapeControl}), so a `\r` or an escape sequence in it cannot
 * overwrite other results or the progress bar; into a file or a pipe it is
 * kept as it is. The failure line (on stderr) is always escaped.
 */
export function humanLines(r: TargetResult, opts: { terminal?: boolean } = {}): { out: string; err: string } {
  const tag = `${r.account}${r.name ? ` (${r.name})` : ''} ${r.region}`;
  const shown = (l: string) => (opts.terminal ? escapeControl(l.replace(/\r$/, '')) : l);
  let out = '';
  if (r.stdout) for (const l of r.stdout.replace(/\n$/, '').split('\n')) out += `${tag} | ${shown(l)}\n`;
  else if (r.ok && r.value !== undefined) out += `${tag}: ${JSON.stringify(r.value)}\n`;
  const err = r.ok ? '' : `✗ ${tag}: ${r.error?.code ?? 'ERR'} ${escapeControl(r.error?.message ?? '')}\n`;
  return { out, err };
}

/** Writes DIR/<account>_<region>.json (the result) and .stdout/.stderr for commands. */
export async function writeResultFiles(dir: string, r: TargetResult): Promise<void> {
  const base = join(dir, `${r.account}_${r.region}`);
  const { stdout, stderr, ...rest } = r;
  await writeFileAtomic(`${base}.json`, `${JSON.stringify(rest, null, 2)}\n`);
  if (stdout !== undefined) await writeFileAtomic(`${base}.stdout`, stdout);
  if (stderr !== undefined) await writeFileAtomic(`${base}.stderr`, stderr);
}

/** How much of a failed command's stderr the summary shows, per target. */
export const TAIL_LINES = 5;
export const TAIL_CHARS = 500;
/** Failed targets whose stderr tail the summary shows; the rest are counted. */
export const TAILS_SHOWN = 10;

/** The last `TAIL_LINES` non-empty lines of `stderr`, at most `TAIL_CHARS` characters, escaped. */
export function stderrTail(stderr: string): string[] {
  const lines = stderr.split(/\r?\n/).filter((l) => l.trim() !== '');
  const out: string[] = [];
  let room = TAIL_CHARS;
  for (const line of lines.slice(-TAIL_LINES).reverse()) {
    if (room <= 0) break;
    const chars = [...line];
    const cut = chars.length > room ? `…${chars.slice(-room).join('')}` : line;
    room -= chars.length;
    out.unshift(escapeControl(cut));
  }
  return out;
}

/** The summary's stderr tails of failed commands, with where their full output is. */
function tailLines(failures: TargetResult[], outputDir: string | undefined): string[] {
  const withErr = failures.filter((f) => f.stderr?.trim());
  if (!withErr.length) return [];
  const lines = ['rolehop: stderr of failed targets (last lines):'];
  for (const f of withErr.slice(0, TAILS_SHOWN)) {
    lines.push(`  ${f.account}/${f.region}${f.exitCode !== undefined ? ` (exit ${f.exitCode})` : ''}:`);
    for (const l of stderrTail(f.stderr!)) lines.push(`    | ${l}`);
  }
  if (withErr.length > TAILS_SHOWN) lines.push(`  … and ${withErr.length - TAILS_SHOWN} more`);
  lines.push(
    outputDir
      ? `  full output: ${outputDir}/<account>_<region>.stderr`
      : '  full output: run again with --json (stderr field) or --output-dir DIR (DIR/<account>_<region>.stderr)',
  );
  return lines;
}

/**
 * The closing summary for stderr: counts, rate, failures grouped by code,
 * then the bounded stderr tails of failed commands. `entryCall` names the
 * call that entered each account (GetRoleCredentials for an SSO session).
 */
export function summaryText(stats: FanOutStats, failures: TargetResult[], interrupted: boolean, outputDir?: string, entryCall = 'AssumeRole'): string {
  const secs = ((stats.finishedAt ?? Date.now()) - stats.startedAt) / 1000;
  const rate = secs > 0 ? (stats.done / secs).toFixed(1) : '0';
  const lines = [
    `rolehop: ${stats.ok}/${stats.total} targets succeeded, ${stats.failed} failed in ${secs.toFixed(1)} s (${rate}/s); ${stats.retries} retries (${stats.throttles} throttled), ${stats.assumeCalls} ${entryCall} calls`,
  ];
  if (stats.resumed) lines.push(`rolehop: ${stats.resumed} targets skipped (done in the resume journal)`);
  if (interrupted) lines.push(`rolehop: interrupted: ${stats.done} finished, ${stats.total - stats.started} not started`);
  const byCode = new Map<string, TargetResult[]>();
  for (const f of failures) {
    const code = f.error?.code ?? 'ERR';
    byCode.set(code, [...(byCode.get(code) ?? []), f]);
  }
  for (const [code, list] of [...byCode].sort((a, b) => b[1].length - a[1].length)) {
    const shown = list.slice(0, 10).map((f) => `${f.account}/${f.region}`);
    const more = list.length > 10 ? ` … and ${list.length - 10} more` : '';
    lines.push(`  ${code} (${list.length}): ${shown.join(', ')}${more}`);
    const msg = list[0]?.error?.message;
    if (msg) lines.push(`    e.g. ${escapeControl(msg.split('\n')[0]!.slice(0, 200))}`);
  }
  lines.push(...tailLines(failures, outputDir));
  return `${lines.join('\n')}\n`;
}
