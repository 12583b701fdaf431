// The executable, built as CommonJS (dist/cli.cjs): Node 20 then skips its
// ESM loader, about 3 ms of every start, on the path AWS tools call over and
// over. The keychain cache hit is a CommonJS bundle of its own
// (dist/hot-keychain.cjs, loaded through a V8 code cache) and everything else
// the ESM bundle (dist/main.mjs), both loaded on demand.
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isClosedPipe, STDOUT_CLOSED_EXIT } from './closed-stdout.js';
import { matchCredentialProcess } from './fast-path.js';

/** A hash of dist/hot-keychain.cjs, set by scripts/build.mjs: it names the bundle's code cache. */
declare const __HOT_KEYCHAIN_BUILD__: string | undefined;

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

async function start(): Promise<void> {
  const argv = process.argv.slice(2);
  const profile = matchCredentialProcess(argv);
  if (profile !== undefined) {
    let out: string | undefined;
    try {
      const { hotCredentialProcess } = await import('../hot-path/credential-process.js');
      out = await hotCredentialProcess(profile, process.env, {
        mfaCode: async (req) => (await loadMain()).askMfaCode(req),
        keychainHit: async (rolehopHome) =>
          (await import('../hot-path/code-cache.js')).requireWithCodeCache(
            join(__dirname, 'hot-keychain.cjs'),
            join(rolehopHome, 'code-cache'),
            typeof __HOT_KEYCHAIN_BUILD__ === 'string' ? __HOT_KEYCHAIN_BUILD__ : 'dev',
            require,
          ) as typeof import('../hot-path/keychain-hit.js'),
      });
    } catch (e) {
      const { renderError } = await import('./render-error.js');
      return exitAfterStdout(renderError(e, process.stderr, { json: false, debug: false }));
    }
    if (out !== undefined) return printAndExit(out);
  }
  const main = await loadMain();
  await (profile === undefined ? main.runMain(argv) : main.runCredentialProcess(profile));
}

void start();
