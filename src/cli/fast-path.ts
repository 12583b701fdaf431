import { profileNameProblem, RESERVED_NAME } from '../config/profile-name.js';
import { EXPORT_FORMATS } from './output/credential-formats.js';

/**
 * A command the executable may run without the argument parser (commander
 * costs about 20 ms to load): `export` in any format and `exec` (on a cache
 * hit without the rest of the CLI, too), and `list`, `clear` and
 * `login --stdout`, handed straight to their handlers with the arguments
 * and options the parser would have given them.
 */
export type FastCall =
  | { kind: 'export'; profile: string; format: string; region?: string }
  /** `command` empty: the user's shell, as the normal path runs it. */
  | { kind: 'exec'; profile: string; region?: string; command: string[] }
  | { kind: 'list' }
  | { kind: 'clear'; profile?: string }
  | { kind: 'login'; profile: string; region?: string };

// A name `requireProfile` would refuse is left to the normal path, which
// reports it. Plain ASCII names are told apart without running the full
// rule's Unicode expression (compiling it costs more than the whole match).
const PLAIN_PROFILE = /^[A-Za-z0-9_.@+%:/-]{1,200}$/;
const isPlainProfile = (s: string) => !s.startsWith('-') && s !== RESERVED_NAME && (PLAIN_PROFILE.test(s) || profileNameProblem(s) === undefined);

/** What the options of one invocation said, or undefined when something is not understood. */
interface Parsed {
  positional: string[];
  options: Map<string, string>;
  /** What came after `--`, when it came. */
  rest?: string[];
}

/**
 * Reads `args` with the given value options (short and long name to the one
 * key), in any order, each at most once, as `--long V`, `--long=V` or
 * `-s V`. Undefined on any other flag, a repeated option or a value that
 * looks like a flag: the parser then decides what that means.
 */
function parseOptions(args: readonly string[], names: Record<string, string>, allowRest: boolean): Parsed | undefined {
  const out: Parsed = { positional: [], options: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      if (!allowRest) return undefined;
      out.rest = args.slice(i + 1);
      break;
    }
    if (!a.startsWith('-')) {
      out.positional.push(a);
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const key = names[eq > 0 ? a.slice(0, eq) : a];
    if (key === undefined || out.options.has(key)) return undefined;
    const value = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    out.options.set(key, value);
  }
  return out;
}

const EXPORT_OPTIONS = { '-f': 'format', '--format': 'format', '-r': 'region', '--region': 'region' };
const EXEC_OPTIONS = { '-r': 'region', '--region': 'region' };
const LOGIN_OPTIONS = { '-r': 'region', '--region': 'region' };

/**
 * The fast call `argv` (without node and script) asks for, or undefined when
 * the argument parser must see it: a global option (`--json` among them),
 * another command, an unknown format or flag, a name that is not plain
 * ASCII, `exec` with a command not after `--`, `login` without `--stdout`. Formats are those of `formatCredentials`, so a
 * format added there is served here too; the default is `env`, as for the
 * parser.
 */
export function matchFastCall(argv: readonly string[]): FastCall | undefined {
  const [command, ...args] = argv;
  if (command === 'export') {
    const p = parseOptions(args, EXPORT_OPTIONS, false);
    if (!p || p.positional.length !== 1 || !isPlainProfile(p.positional[0]!)) return undefined;
    const format = p.options.get('format') ?? 'env';
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) return undefined;
    const region = p.options.get('region');
    return { kind: 'export', profile: p.positional[0]!, format, ...(region ? { region } : {}) };
  }
  if (command === 'exec') {
    const p = parseOptions(args, EXEC_OPTIONS, true);
    if (!p || p.positional.length !== 1 || !isPlainProfile(p.positional[0]!)) return undefined;
    const region = p.options.get('region');
    return { kind: 'exec', profile: p.positional[0]!, command: p.rest ?? [], ...(region ? { region } : {}) };
  }
  if ((command === 'list' || command === 'ls') && args.length === 0) return { kind: 'list' };
  if (command === 'clear' && args.length === 0) return { kind: 'clear' };
  if (command === 'clear' && args.length === 1 && isPlainProfile(args[0]!)) return { kind: 'clear', profile: args[0]! };
  if (command === 'login') {
    // Only the link on stdout: opening a browser is the parser's to set up.
    const stdout = args.filter((a) => a === '--stdout' || a === '-s');
    const p =
      stdout.length === 1
        ? parseOptions(
            args.filter((a) => a !== stdout[0]),
            LOGIN_OPTIONS,
            false,
          )
        : undefined;
    if (!p || p.positional.length !== 1 || !isPlainProfile(p.positional[0]!)) return undefined;
    const region = p.options.get('region');
    return { kind: 'login', profile: p.positional[0]!, ...(region ? { region } : {}) };
  }
  return undefined;
}

/**
 * The one invocation AWS tools make over and over, from a
 * `credential_process` line: its hit is answered with the agent's finished
 * line or the keychain's copy, without formatting anything.
 */
export function isCredentialProcess(call: FastCall | undefined): boolean {
  return call?.kind === 'export' && call.format === 'credential-process' && call.region === undefined;
}
