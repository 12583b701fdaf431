// Why a fan-out command may restart Node before it starts: Node 24's V8
// lets the young generation grow to 128 MB (64 MB semi-spaces) when many
// short-lived objects survive a scavenge, as every in-flight target's SDK
// client does. Over thousands of targets that alone put a run's peak RSS
// past 300 MB, where Node 20 (16 MB semi-spaces) stays near 240 MB. The
// cap can only be set when the process starts (setting the flag later has
// no effect on the heap already sized), so the executable replaces itself
// with `node --max-semi-space-size=16 …` through process.execve: the same
// pid, terminal, stdio and signals, so Ctrl-C still stops a run gracefully.
//
// Why they also lower V8's heap growing factor, on every runtime: each
// target allocates about 300 KB building and using its SDK client, and some
// of it reaches the old generation before it dies. V8 then grows the old
// space to several times the live data (about 17 MB here) and keeps what it
// reached, so RSS crept from about 145 to 205 MB over 10,000 accounts × 17
// regions though nothing is kept. With the factor at 1.5 it stays flat
// (peak 145 MB on Node 20, 168 MB on Node 24 at 3,000 accounts; 200 and
// 251 MB without) for 6-14% more CPU, which still leaves the engine under
// the least SDK loop of the same calls. Unlike the semi-space cap, this
// flag takes effect when set from inside the process, so no restart.

/** The young-generation cap fan-out commands run under (Node 20's default). */
export const SEMI_SPACE_FLAG = '--max-semi-space-size=16';

/** The heap growing factor fan-out commands run under: 1.5 instead of V8's up to 4. */
export const HEAP_GROWING_FLAG = '--heap-growing-percent=50';

/** Top-level commands that fan out over accounts (or may: `roles`, `ami`). */
const FAN_OUT_COMMANDS: ReadonlySet<string> = new Set(['run', 'roles', 'audit', 'certs', 'ami']);

/** Global options that take a value (src/cli/program.ts). */
const GLOBAL_VALUE_OPTIONS: ReadonlySet<string> = new Set(['--backend', '--mfa-token']);
const GLOBAL_FLAGS: ReadonlySet<string> = new Set(['--json', '--debug']);

/** The command `argv` (without node and script) names after the global options, if it names one. */
function commandOf(argv: readonly string[]): { command: string; rest: readonly string[] } | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (GLOBAL_FLAGS.has(a)) continue;
    if (GLOBAL_VALUE_OPTIONS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('--') && GLOBAL_VALUE_OPTIONS.has(a.slice(0, a.indexOf('=')))) continue;
    return a.startsWith('-') ? undefined : { command: a, rest: argv.slice(i + 1) };
  }
  return undefined;
}

/** What the running Node was started with, as far as the heap cap is concerned. */
export interface NodeStart {
  /** process.execArgv */
  execArgv: readonly string[];
  /** NODE_OPTIONS, when set */
  nodeOptions: string | undefined;
}

/** The fan-out command `argv` runs, if it runs one and not just its help. */
function fanOutCall(argv: readonly string[]): boolean {
  const call = commandOf(argv);
  if (!call || !FAN_OUT_COMMANDS.has(call.command)) return false;
  const end = call.rest.indexOf('--');
  const own = end < 0 ? call.rest : call.rest.slice(0, end);
  return !own.includes('--help') && !own.includes('-h');
}

/**
 * The Node options to restart with so that the fan-out command in `argv`
 * runs under {@link SEMI_SPACE_FLAG}, or undefined when there is no need:
 * not a fan-out command, only its help, or a semi-space size given already
 * (by the user in NODE_OPTIONS or on the command line, or by an earlier
 * restart), which also means this never restarts twice.
 */
export function fanOutNodeOptions(argv: readonly string[], start: NodeStart): string[] | undefined {
  if (!fanOutCall(argv)) return undefined;
  const given = [...start.execArgv, ...(start.nodeOptions ?? '').split(/\s+/)];
  if (given.some((o) => o.startsWith('--max-semi-space-size'))) return undefined;
  return [...start.execArgv, SEMI_SPACE_FLAG];
}

/**
 * The V8 flag to set in this process for the fan-out command in `argv`
 * ({@link HEAP_GROWING_FLAG}), or undefined: not a fan-out command, only its
 * help, or a growing percent given on Node's command line already (V8 does
 * not take it from NODE_OPTIONS), which wins.
 */
export function fanOutV8Flag(argv: readonly string[], execArgv: readonly string[]): string | undefined {
  if (!fanOutCall(argv)) return undefined;
  if (execArgv.some((o) => o.startsWith('--heap-growing-percent'))) return undefined;
  return HEAP_GROWING_FLAG;
}
