// Finds the import() calls left in a built bundle (scripts/build.mjs): code
// that requireWithCodeCache runs (src/hot-path/code-cache.ts) has no import(),
// so one left there would fail only at run time.
import { build } from 'esbuild';

const PLUGIN = 'dynamic-imports';

/**
 * The first banner line of dist/export-miss.cjs: `__rolehopImport`, the
 * import() requireWithCodeCache hands in (code compiled by node:vm has no
 * import() of its own without --experimental-vm-modules), or import() when
 * the bundle is required plainly. Builtins are required instead, so Node's
 * ESM loader need not start, and their namespace is the exports' property
 * descriptors plus `default`, not a spread of the exports: a spread runs
 * every getter, and node:http's WebSocket, CloseEvent and MessageEvent
 * getters (Node >= 22) load Node's undici, about 10 ms of CPU on a cold
 * call, for the SDK's lazy import of node:http.
 */
export const DYNAMIC_IMPORT_BANNER =
  'var __rolehopImport = ((load) => (s) => s.startsWith("node:") ? Promise.resolve().then(() => { const m = require(s); return Object.defineProperties({ default: m }, Object.getOwnPropertyDescriptors(m)); }) : load(s))(__rolehopImport || ((s) => import(s)));';

/**
 * The import() call expressions of `code` (a script or CommonJS module), as
 * `{ line, column, snippet }` (line from 1, column from 0), in source order.
 * esbuild parses it, so `import(` in a string, a template string, a comment
 * or a regular expression is none. A computed `import(x)` esbuild reports as
 * not bundled; one with a literal specifier reaches the resolver, which
 * refuses it so that it is reported with its place too. Writes nothing;
 * rejects with esbuild's error when `code` does not parse.
 */
export async function dynamicImports(code) {
  const failure = await build({
    stdin: { contents: code, sourcefile: 'bundle.cjs', loader: 'js' },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
    logLimit: 0,
    logOverride: { 'unsupported-dynamic-import': 'error' },
    plugins: [
      {
        name: PLUGIN,
        setup(b) {
          b.onResolve({ filter: /.*/ }, ({ kind, path }) => (kind === 'dynamic-import' ? { errors: [{ text: 'import()' }] } : { path, external: true }));
        },
      },
    ],
  }).then(
    () => undefined,
    (err) => err,
  );
  if (!failure) return [];
  const isImport = (m) => m.location && (m.id === 'unsupported-dynamic-import' || m.pluginName === PLUGIN);
  if (!failure.errors?.every(isImport)) throw failure;
  return failure.errors
    .map(({ location: { line, column, lineText } }) => ({ line, column, snippet: lineText.slice(Math.max(0, column - 60), column + 60).trim() }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Rejects, naming `file` and each call, when `code` (the text written there)
 * still has an import() call outside its first `bannerLines` lines (a banner
 * whose own import() is meant, as the export miss's fallback is).
 */
export async function assertNoDynamicImport(file, code, bannerLines = 0) {
  const left = (await dynamicImports(code)).filter((hit) => hit.line > bannerLines);
  if (left.length === 0) return;
  const where = left.map((hit) => `  line ${hit.line}:${hit.column + 1}: ${hit.snippet}`).join('\n');
  throw new Error(`${file}: import() not rewritten to __rolehopImport (code run from the code cache has no import()):\n${where}`);
}
