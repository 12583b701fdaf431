import type { Partition } from '../aws/partition.js';
import type { PolicyDocument } from './model.js';
import { prettyPolicy } from '../policy/policy-normalize.js';

/**
 * A small line diff for showing what a plan would change in a policy
 * document. Documents are at most a few hundred lines, so a plain LCS table
 * is enough; no dependency needed.
 */

/** Above this many table cells (lines before × lines after, common ends trimmed) the diff shows "replace everything". */
const MAX_CELLS = 2000 * 2000;

type Op = { kind: '-' | '+' | ' '; line: string };

/**
 * The lines that differ between two texts, for a human: removed lines
 * prefixed `- `, added `+ `, unchanged `  `. Within a changed block removals
 * come before additions. Only `context` unchanged lines are kept next to each
 * change; a longer unchanged run is collapsed to one `  …` line (between two
 * changes, a run longer than `2 * context`; at the start or end, one longer
 * than `context`).
 *
 * Texts are split on `\n`; one trailing newline ends the last line rather
 * than adding an empty one, and `''` has no lines. Returns `[]` when the lines
 * are equal. Inputs so large that the LCS table would exceed 2000×2000 cells
 * (after trimming common leading and trailing lines) are shown as the whole
 * middle removed and re-added.
 */
export function lineDiff(before: string, after: string, context = 2): string[] {
  const ops = diffOps(splitLines(before), splitLines(after));
  if (ops.every((op) => op.kind === ' ')) return [];
  return render(ops, Math.max(0, Math.floor(context)));
}

/**
 * The diff of two policy documents in their normalised, pretty-printed form
 * ({@link prettyPolicy}); `undefined` (no document) diffs as empty text. A
 * document IAM merely rewrote (encoding, order, one-element arrays, root
 * ARNs, action case) gives `[]`.
 */
export function policyDiff(before: PolicyDocument | undefined, after: PolicyDocument | undefined, partition: Partition = 'aws'): string[] {
  const text = (doc: PolicyDocument | undefined, foldCase: boolean): string => (doc === undefined ? '' : prettyPolicy(doc, partition, { foldCase }));
  // Equal as IAM compares them: nothing to show. Else shown in the documents' own spelling.
  if (lineDiff(text(before, true), text(after, true)).length === 0) return [];
  return lineDiff(text(before, false), text(after, false));
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffOps(a: string[], b: string[]): Op[] {
  // Common ends cost nothing to match and keep the table small.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (lines: string[]): Op[] => lines.map((line) => ({ kind: ' ', line }));
  return [...same(a.slice(0, start)), ...middleOps(a.slice(start, endA), b.slice(start, endB)), ...same(a.slice(endA))];
}

function middleOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const removeAll = (): Op[] => [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
  if (n === 0 || m === 0 || n * m > MAX_CELLS) return removeAll();
  // lcs[i * w + j]: length of the longest common subsequence of a[i..] and b[j..].
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? (lcs[(i + 1) * w + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * w + j] ?? 0, lcs[i * w + j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const ai = a[i];
    const bj = b[j];
    if (i < n && j < m && ai === bj) {
      ops.push({ kind: ' ', line: ai ?? '' });
      i++;
      j++;
    } else if (j >= m || (i < n && (lcs[(i + 1) * w + j] ?? 0) >= (lcs[i * w + j + 1] ?? 0))) {
      ops.push({ kind: '-', line: ai ?? '' });
      i++;
    } else {
      ops.push({ kind: '+', line: bj ?? '' });
      j++;
    }
  }
  return ops;
}

function render(ops: Op[], context: number): string[] {
  const out: string[] = [];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]?.kind === ' ') {
      let end = k;
      while (end < ops.length && ops[end]?.kind === ' ') end++;
      const run = ops.slice(k, end).map((op) => `  ${op.line}`);
      const first = k === 0;
      const last = end === ops.length;
      if (first && run.length > context) out.push('  …', ...run.slice(run.length - context));
      else if (last && run.length > context) out.push(...run.slice(0, context), '  …');
      else if (!first && !last && run.length > 2 * context) out.push(...run.slice(0, context), '  …', ...run.slice(run.length - context));
      else out.push(...run);
      k = end;
    } else {
      // A changed block: all its removals, then all its additions.
      let end = k;
      while (end < ops.length && ops[end]?.kind !== ' ') end++;
      const block = ops.slice(k, end);
      for (const op of block) if (op.kind === '-') out.push(`- ${op.line}`);
      for (const op of block) if (op.kind === '+') out.push(`+ ${op.line}`);
      k = end;
    }
  }
  return out;
}
