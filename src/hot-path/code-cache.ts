import { closeSync, fstatSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { writeFileAtomicSync } from '../io/atomic-write.js';
import { entryProblem, ownProblem } from '../io/private-path.js';

/**
 * Requires a CommonJS bundle the way Node would, but through V8's code
 * cache, kept in `cacheDir`: the cache is made at exit of the first run, so
 * it holds every function that run compiled, where Node's own compile cache
 * (Node >= 22.1) holds only what compiles before the code runs. On the
 * credential_process hot path that is about 3 ms of each call.
 *
 * The cache file is named for the bundle's build id, size and mtime and for
 * the Node version and architecture (and tagged with the bundle's path),
 * because V8 itself checks only the source's length. V8 rejects a cache
 * from another V8 or other flags, and a rejected or missing cache is simply
 * made again. For each install and Node version only the newest build's
 * cache is kept. Every failure to read or write the cache costs speed,
 * never the call.
 *
 * A cache is code: it is used only from a directory, and as a file, that
 * belong to this user and that nobody else can write to (V8 would run
 * whatever bytecode it holds for a source of the same length). Otherwise
 * the bundle is compiled afresh and no cache is written there.
 *
 * Code compiled this way cannot call import() itself (Node would want
 * --experimental-vm-modules): a bundle that must import a module at run
 * time calls `__rolehopImport`, which is `dynamicImport` (see
 * scripts/build.mjs).
 */
export function requireWithCodeCache(
  file: string,
  cacheDir: string,
  buildId: string,
  req: NodeJS.Require,
  dynamicImport?: (specifier: string) => Promise<unknown>,
): unknown {
  const source = readFileSync(file, 'utf8');
  const st = statSync(file);
  // Pruned: caches of older builds at the same path for this runtime. Another
  // runtime's (nvm users switch) or another install's are their own.
  const prefix = `${basename(file)}-${pathTag(file)}-${process.version}-${process.arch}-`;
  const name = `${prefix}${buildId}-${st.size}-${Math.trunc(st.mtimeMs)}.v8`;
  const trusted = entryProblem(cacheDir) === undefined;
  const cachedData = trusted ? readTrustedCache(join(cacheDir, name)) : undefined;
  // Node's CommonJS wrapper; a leading #! line is blanked, not removed, so positions in traces stay right.
  const body = source.startsWith('#!') ? source.replace(/^#![^\n]*/, '') : source;
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __rolehopImport) {${body}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  if (trusted && (!cachedData || script.cachedDataRejected)) process.once('exit', () => saveCodeCache(script, cacheDir, name, prefix));
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...a: unknown[]) => void)(module.exports, req, module, file, dirname(file), dynamicImport);
  return module.exports;
}

/** The cache file's bytes when it is ours and nobody else can write to it; undefined otherwise, or when there is none yet (made at exit). */
function readTrustedCache(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    // fstat on the open file: what is judged is what is read.
    const euid = process.geteuid?.();
    if (euid !== undefined && ownProblem(path, fstatSync(fd), euid)) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A short tag for a file's path (32-bit FNV-1a): only a name, so node:crypto need not load. */
function pathTag(file: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < file.length; i++) h = Math.imul(h ^ file.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Writes the cache atomically (0600 in a 0700 directory) and drops this runtime's caches of older builds; a cache that cannot be written is only slower next time. */
function saveCodeCache(script: Script, dir: string, name: string, prefix: string): void {
  try {
    writeFileAtomicSync(join(dir, name), script.createCachedData());
    for (const other of readdirSync(dir)) if (other.startsWith(prefix) && other !== name) rmSync(join(dir, other), { force: true });
  } catch {
    // Unwritable or full: the next call compiles afresh and tries again.
  }
}
