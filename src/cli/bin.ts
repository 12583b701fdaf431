// The executable, built as CommonJS (dist/cli.cjs): Node 20 then skips its
// ESM loader, about 3 ms of every start. `export` (any format) and `exec`
// on a cache hit are answered here, from the agent or the keychain's
// session copies; the keychain branch is a CommonJS bundle of its own
// (dist/hot-keychain.cjs, loaded through a V8 code cache) and everything
// else the ESM bundle (dist/main.mjs), both loaded on demand.
import { existsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isClosedPipe, STDOUT_CLOSED_EXIT } from './closed-stdout.js';
import { isCredentialProcess, matchFastCall, type FastCall } from './fast-path.js';
import { fanOutNodeOptions, fanOutV8Flag } from './fan-out-heap.js';
import type { HotPathDeps } from '../hot-path/cache-hit.js';

/** A hash of dist/hot-keychain.cjs, set by scripts/build.mjs: it names the bundle's code cache. */
declare const __HOT_KEYCHAIN_BUILD__: string | undefined;
/** The same for dist/hot-login.cjs and dist/hot-list.cjs. */
declare const __HOT_LOGIN_BUILD__: string | undefined;
declare const __HOT_LIST_BUILD__: string | undefined;
/** The same for dist/export-miss.cjs. */
declare const __EXPORT_MISS_BUILD__: string | undefined;

type Main = typeof import('./main.js');

let compileCacheOn = false;

/**
 * Node >= 22.1 caches compiled code on disk. Only worth it before loading
 * main.mjs: this file is compiled already, the agent branch loads nothing
 * else, and the keychain branch keeps a fuller cache of its own
 * (src/hot-path/code-cache.ts).
 */
function compileCache(): void {
  if (compileCacheOn) return;
  compileCacheOn = true;
  // Older Node lacks the call; loading node:module just to find out costs ~1 ms.
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 1)) return;
  try {
    // required here, not imported at the top: loading node:module pulls in
    // Node's ESM loader, which the agent branch never needs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    (require('node:module') as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  } catch {
    // a read-only cache dir only costs speed
  }
}

function loadMain(): Promise<Main> {
  compileCache();
  // A computed specifier: the bundler leaves this import to Node.
  return import(pathToFileURL(join(__dirname, 'main.mjs')).href) as Promise<Main>;
}

function exitAfterStdout(code: number, text: string | Uint8Array = ''): void {
  process.stdout.write(text, () => process.exit(code));
}

/**
 * Prints the hot path's answer and exits. A blocking write to fd 1 spares
 * creating process.stdout (a stream over the pipe); if fd 1 turns out to be
 * non-blocking, what is left goes through process.stdout as usual.
 */
function printAndExit(text: string): void {
  const bytes = Buffer.from(text);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch (e) {
    if (isClosedPipe(e)) process.exit(STDOUT_CLOSED_EXIT);
    return exitAfterStdout(0, bytes.subarray(done));
  }
  process.exit(0);
}

/** One of the hot bundles beside this file, through its code cache in the rolehop home (src/hot-path/code-cache.ts). */
async function requireHotBundle(
  file: string,
  buildId: string | undefined,
  rolehopHome: string,
  dynamicImport?: (specifier: string) => Promise<unknown>,
): Promise<unknown> {
  return (await import('../hot-path/code-cache.js')).requireWithCodeCache(
    join(__dirname, file),
    join(rolehopHome, 'code-cache'),
    buildId ?? 'dev',
    require,
    dynamicImport,
  );
}

/** The hot path's modules that load only when needed. */
const deps: HotPathDeps = {
  mfaCode: async (req) => (await loadMain()).askMfaCode(req),
  keychainHit: async (rolehopHome) =>
    (await requireHotBundle(
      'hot-keychain.cjs',
      typeof __HOT_KEYCHAIN_BUILD__ === 'string' ? __HOT_KEYCHAIN_BUILD__ : undefined,
      rolehopHome,
    )) as typeof import('../hot-path/keychain-hit.js'),
  loginHit: async (rolehopHome) =>
    (await requireHotBundle(
      'hot-login.cjs',
      typeof __HOT_LOGIN_BUILD__ === 'string' ? __HOT_LOGIN_BUILD__ : undefined,
      rolehopHome,
    )) as typeof import('../hot-path/login-hit.js'),
};

/**
 * `export` without a cache hit: dist/export-miss.cjs through its code cache
 * when the rolehop home may hold one; otherwise (or in a copy of the
 * executable without that bundle) main.mjs, whose normal path then says
 * what is wrong with the home.
 */
async function exportMiss(call: Extract<FastCall, { kind: 'export' }>): Promise<void> {
  const opts = { format: call.format, ...(call.region ? { region: call.region } : {}) };
  const home = (await import('../hot-path/cache-hit.js')).hotHome(process.env);
  if (!home || !existsSync(join(__dirname, 'export-miss.cjs'))) return (await loadMain()).runDirect('export', [call.profile], opts);
  // A computed specifier, left to Node: the bundle's import() of builtins and ESM-only packages.
  const dynamicImport = (specifier: string): Promise<unknown> => import(specifier);
  const build = typeof __EXPORT_MISS_BUILD__ === 'string' ? __EXPORT_MISS_BUILD__ : undefined;
  const miss = (await requireHotBundle('export-miss.cjs', build, home, dynamicImport)) as typeof import('./export-miss.js');
  return miss.runExport(call.profile, opts);
}

/** `export` on a cache hit: what the normal path would print, or undefined on a miss. */
async function hotExport(call: Extract<FastCall, { kind: 'export' }>): Promise<string | undefined> {
  const { hotCredentialProcess, hotCredentials } = await import('../hot-path/cache-hit.js');
  if (isCredentialProcess(call)) return hotCredentialProcess(call.profile, process.env, deps);
  const hit = await hotCredentials(call.profile, call.region, process.env, deps);
  if (!hit) return undefined;
  const { formatCredentials } = await import('./output/credential-formats.js');
  return formatCredentials(call.format, hit.credentials, { profile: call.profile, ...(hit.region ? { region: hit.region } : {}) });
}

/**
 * `exec` on a cache hit: the child the normal path would run, with the same
 * environment, signals and exit code. False on a miss, or inside another
 * rolehop environment (the normal path refuses that and says why).
 */
async function hotExec(call: Extract<FastCall, { kind: 'exec' }>): Promise<boolean> {
  if (process.env.ROLEHOP_PROFILE) return false;
  const [{ hotCredentials }, { handleStopSignals }] = await Promise.all([import('../hot-path/cache-hit.js'), import('./signal-exit.js')]);
  // As on the normal path: the first signal is the child's (forwarded to
  // it), a second ends rolehop at once.
  handleStopSignals(() => {});
  const hit = await hotCredentials(call.profile, call.region, process.env, deps);
  if (!hit) return false;
  const [{ credentialEnv }, { runChild }] = await Promise.all([import('../credentials/child-env.js'), import('./run-child.js')]);
  const env = credentialEnv(process.env, hit.credentials, { profile: call.profile, ...(hit.region ? { region: hit.region } : {}) });
  const [command, ...args] = call.command.length > 0 ? call.command : [process.env.SHELL || '/bin/sh'];
  process.exit(await runChild(command!, args, env));
}

/**
 * `clear` done without main.mjs (by a running agent, or over D-Bus in a
 * keychain home), said as the normal path says it, then exit. False when
 * the normal path must do it all; when only the keychain's session copies
 * are left, the normal path finishes them and reports what was cleared here.
 * A name with nothing cleared goes to the normal path too (it clears
 * again, finding nothing), which alone says whether the name is a typo;
 * unless the config file plainly has that profile, so there is no hint to give.
 */
/** Whether the AWS config file plainly names this profile (src/hot-path/profile-header.ts). */
async function knownProfile(profile: string): Promise<boolean> {
  return (await import('../hot-path/profile-header.js')).configHasProfileHeader(process.env, profile);
}

async function hotClear(call: Extract<FastCall, { kind: 'clear' }>): Promise<boolean> {
  const done = await (await import('../hot-path/cache-hit.js')).hotClear(call.profile, process.env, deps);
  if (done === undefined) return false;
  if (done.copiesLeft || (done.cleared === 0 && call.profile !== undefined && !(await knownProfile(call.profile)))) {
    await (await loadMain()).runDirect('clear', call.profile === undefined ? [] : [call.profile], { alreadyCleared: done.cleared });
    return true;
  }
  const { clearedSessionsLine } = await import('./output/cleared-sessions.js');
  try {
    writeSync(2, clearedSessionsLine(done.cleared, call.profile));
  } catch {
    // A closed stderr: nowhere left to say it, as on the normal path.
  }
  process.exit(0);
}

/**
 * `login PROFILE --stdout` on a cache hit: the link printed as the normal
 * path prints it, then exit; false on a miss. Ctrl-C stops the federation
 * call, as on the normal path.
 */
async function hotLogin(call: Extract<FastCall, { kind: 'login' }>): Promise<boolean> {
  const [{ hotLoginLink }, { handleStopSignals }] = await Promise.all([import('../hot-path/cache-hit.js'), import('./signal-exit.js')]);
  const abort = new AbortController();
  handleStopSignals(() => abort.abort());
  const url = await hotLoginLink(call.profile, call.region, process.env, deps, abort.signal);
  if (url === undefined) return false;
  printAndExit(`${url}\n`);
  return true;
}

/**
 * `list` from dist/hot-list.cjs, printed as the normal path prints it, then
 * exit; false when the normal path must run (see `listText`). Ctrl-C stops
 * it as it stops the normal path.
 */
async function hotList(): Promise<boolean> {
  const [{ hotHome }, { handleStopSignals }] = await Promise.all([import('../hot-path/cache-hit.js'), import('./signal-exit.js')]);
  const rolehopHome = hotHome(process.env);
  // No home yet: the code cache would create one, where listing writes nothing.
  if (!rolehopHome || !existsSync(rolehopHome)) return false;
  const abort = new AbortController();
  handleStopSignals(() => abort.abort());
  const bundle = (await requireHotBundle(
    'hot-list.cjs',
    typeof __HOT_LIST_BUILD__ === 'string' ? __HOT_LIST_BUILD__ : undefined,
    rolehopHome,
  )) as typeof import('./hot-list.js');
  const text = await bundle.listText(process.env, abort.signal);
  if (text === undefined) return false;
  printAndExit(text);
  return true;
}

/**
 * A fan-out command replaces this process with one whose young generation
 * is capped (src/cli/fan-out-heap.ts says why), where Node can (POSIX,
 * Node >= 22.15). Nothing has been printed or read yet. If the call fails,
 * the command runs here, only with more memory.
 */
function restartForFanOut(argv: readonly string[]): void {
  const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }).execve;
  if (typeof execve !== 'function' || process.platform === 'win32') return;
  const options = fanOutNodeOptions(argv, { execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS });
  if (!options) return;
  try {
    execve(process.execPath, [process.execPath, ...options, process.argv[1]!, ...argv], process.env);
  } catch {
    // not replaced: go on in this process
  }
}

/**
 * Lowers V8's heap growing factor for a fan-out command (src/cli/fan-out-heap.ts
 * says why), in this process: V8 reads it at each collection.
 */
function tuneHeapForFanOut(argv: readonly string[]): void {
  const flag = fanOutV8Flag(argv, process.execArgv);
  if (!flag) return;
  // required here, not imported at the top: only fan-out commands need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString(flag);
}

async function renderAndExit(e: unknown): Promise<void> {
  const { renderError } = await import('./render-error.js');
  return exitAfterStdout(renderError(e, process.stderr, { json: false, debug: false }));
}

async function start(): Promise<void> {
  const argv = process.argv.slice(2);
  const call = matchFastCall(argv);
  if (call?.kind === 'export') {
    let out: string | undefined;
    try {
      out = await hotExport(call);
    } catch (e) {
      return renderAndExit(e);
    }
    if (out !== undefined) return printAndExit(out);
    return exportMiss(call);
  }
  try {
    if (call?.kind === 'exec' && (await hotExec(call))) return;
    if (call?.kind === 'clear' && (await hotClear(call))) return;
    if (call?.kind === 'login' && (await hotLogin(call))) return;
    if (call?.kind === 'list' && (await hotList())) return;
  } catch (e) {
    return renderAndExit(e);
  }
  restartForFanOut(argv);
  tuneHeapForFanOut(argv);
  const main = await loadMain();
  if (call?.kind === 'list') return main.runDirect('list', [], {});
  if (call?.kind === 'clear') return main.runDirect('clear', call.profile === undefined ? [] : [call.profile], {});
  if (call?.kind === 'login') return main.runDirect('login', [call.profile], { stdout: true, ...(call.region ? { region: call.region } : {}) });
  await main.runMain(argv);
}

void start();
