// The cold path's CPU split by phase, from V8 CPU profiles (`node
// --cpu-prof`) of the bundled CLI. esbuild heads each bundled module with a
// `// src/...` or `// node_modules/...` comment, so a sampled frame's line
// names the source file it came from; the phase is then read off the stack.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The phases, in the order the table shows them. */
export const PHASES = [
  'module loading',
  'SDK client construction',
  'STS calls (SDK: endpoint, signing, HTTP, parsing)',
  'config',
  'store, lock, data key',
  'session cache write',
  'CLI, broker, mfa_process, hot-path probe',
  'garbage collection',
  'other Node and V8 work',
] as const;
/** One of {@link PHASES}. */
export type Phase = (typeof PHASES)[number];

/** The parts of a V8 `.cpuprofile` this reads. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** A frame as the classifier sees it: function name, script URL, and the bundled module it is in (`src/...`, `node_modules/...`) if known. */
export interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
  source?: string;
}

const STS_PACKAGES = /^node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws|fast-xml-parser|strnum|tslib|uuid|bowser)\//;

function isModuleLoading(f: Frame): boolean {
  if (/^node:internal\/(modules|bootstrap\/realm)/.test(f.url)) return true;
  if (/^(compileSourceTextModule|compileForInternalLoader|wrapSafe|Script)$/.test(f.functionName)) return true;
  // Reading, compiling (or deserializing) and evaluating a CommonJS bundle
  // through its V8 code cache (dist/hot-keychain.cjs, dist/export-miss.cjs).
  if (f.source === 'src/hot-path/code-cache.ts') return true;
  // A module's own top-level code (its evaluation): the function at 0:0, or
  // in a CommonJS bundle esbuild's lazy init of the module, named for its path.
  return !!f.source && ((f.functionName === '' && f.lineNumber === 0 && f.columnNumber === 0) || f.functionName === f.source);
}

function bySource(source: string): Phase | undefined {
  if (STS_PACKAGES.test(source) || source.startsWith('src/aws/')) return 'STS calls (SDK: endpoint, signing, HTTP, parsing)';
  if (source.startsWith('src/config/')) return 'config';
  if (/^src\/sessions\/(session-cache|session-copy|session-mirror|sealed-entry|seal)/.test(source)) return 'session cache write';
  if (source === 'src/io/run-helper.ts') return 'CLI, broker, mfa_process, hot-path probe';
  if (/^(src\/(stores|io|credentials\/vault|sessions\/data-key)|node_modules\/@napi-rs\/keyring)/.test(source)) return 'store, lock, data key';
  if (source.startsWith('src/') || source.startsWith('node_modules/commander/')) return 'CLI, broker, mfa_process, hot-path probe';
  return undefined;
}

/**
 * The phase of one sample, given its stack leaf first. Module loading and
 * SDK client construction win wherever they are on the stack (an import or
 * a `new STSClient` in the middle of the broker's work is still that);
 * otherwise the nearest frame with a known source decides, and a stack of
 * Node internals only is HTTP I/O when it is in Node's net/http code.
 */
export function phaseOf(stack: readonly Frame[]): Phase {
  const leaf = stack[0];
  if (leaf?.functionName === '(garbage collector)') return 'garbage collection';
  if (stack.some(isModuleLoading)) return 'module loading';
  if (stack.some((f) => f.source?.startsWith('node_modules/@aws-sdk/client-') && f.functionName.endsWith('Client'))) return 'SDK client construction';
  for (const f of stack) {
    const p = f.source ? bySource(f.source) : undefined;
    if (p) return p;
  }
  if (stack.some((f) => /^node:(_http|http|https|net|internal\/(http|net|stream_base_commons))/.test(f.url)))
    return 'STS calls (SDK: endpoint, signing, HTTP, parsing)';
  return 'other Node and V8 work';
}

/** Finds the bundled module a line of a script belongs to, from the bundler's `// path` comments (cached per script). */
export function sourceLocator(): (url: string, line: number) => string | undefined {
  const heads = new Map<string, Array<[number, string]>>();
  return (url, line) => {
    if (!url.startsWith('file://')) return undefined;
    let h = heads.get(url);
    if (!h) {
      h = [];
      try {
        readFileSync(fileURLToPath(url), 'utf8')
          .split('\n')
          .forEach((text, i) => {
            const m = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(text);
            if (m) h!.push([i, m[1]!]);
          });
      } catch {
        // a script that is gone has no sources
      }
      heads.set(url, h);
    }
    let found: string | undefined;
    for (const [at, source] of h) {
      if (at > line) break;
      found = source;
    }
    return found;
  };
}

/** Milliseconds of samples per phase in one profile; idle time is left out. */
export function splitProfile(profile: CpuProfile, locate: (url: string, line: number) => string | undefined): Record<Phase, number> {
  const out = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const phaseById = new Map<number, Phase | null>();
  const phaseFor = (id: number): Phase | null => {
    let p = phaseById.get(id);
    if (p !== undefined) return p;
    const stack: Frame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const cf = byId.get(at)!.callFrame;
      const source = locate(cf.url, cf.lineNumber);
      stack.push({ ...cf, ...(source ? { source } : {}) });
    }
    const name = stack[0]?.functionName;
    p = name === '(idle)' || name === '(root)' ? null : phaseOf(stack);
    phaseById.set(id, p);
    return p;
  };
  profile.samples.forEach((id, i) => {
    const p = phaseFor(id);
    if (p) out[p] += (profile.timeDeltas[i] ?? 0) / 1000;
  });
  return out;
}
