// Bundles the CLI and the library with esbuild.
//   dist/cli.cjs   the executable: CommonJS, one small file: the
//                  credential_process match and the agent client;
//   dist/hot-keychain.cjs  the keychain cache hit, loaded by cli.cjs on demand
//                  (README "Architecture");
//   dist/hot-login.cjs  `login --stdout` on a cache hit, likewise;
//   dist/hot-list.cjs   `list`, likewise;
//   dist/export-miss.cjs   `export` without a cache hit, likewise
//                  (src/cli/export-miss.ts);
//   dist/main.mjs  the rest of the CLI, ESM with code splitting, so the AWS
//                  SDK, prompts and backends load only when used;
//   dist/index.mjs the library entry.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { assertNoDynamicImport, DYNAMIC_IMPORT_BANNER } from './dynamic-imports.mjs';

rmSync('dist', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  // Prefer the SDK's ESM builds: named exports survive dynamic import() and tree-shaking works.
  mainFields: ['module', 'main'],
  target: 'node20',
  // Native binding and packages that locate files next to themselves stay external.
  external: ['@napi-rs/keyring', 'open'],
  legalComments: 'none',
  logLevel: 'warning',
  // One id for every bundle of this build: an agent of another build is stopped, not asked (src/agent/protocol.ts).
  define: { __ROLEHOP_BUILD__: JSON.stringify(`${JSON.parse(readFileSync('package.json', 'utf8')).version}+${Date.now().toString(36)}`) },
};
await build({
  ...common,
  entryPoints: { main: 'src/cli/main.ts', index: 'src/index.ts' },
  outdir: 'dist',
  splitting: true,
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  banner: {
    // Some bundled CommonJS dependencies call require(); give ESM chunks one.
    js: "import { createRequire as __rolehopCreateRequire } from 'node:module'; const require = __rolehopCreateRequire(import.meta.url);",
  },
});
const cjs = { ...common, format: 'cjs', banner: { js: '#!/usr/bin/env node' } };
/**
 * Builds one of the bundles dist/cli.cjs loads through a V8 code cache
 * (src/hot-path/code-cache.ts), after `rewrite` of its text, and returns the
 * hash of what was written: it names the bundle's cache. `rewrite` may be async.
 */
async function cachedBundle(entry, outfile, extra = {}, rewrite = (text) => text) {
  const { outputFiles } = await build({ ...cjs, entryPoints: [entry], outfile, ...extra, write: false });
  const text = await rewrite(outputFiles[0].text);
  mkdirSync('dist', { recursive: true });
  writeFileSync(outfile, text);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
const hotBuild = await cachedBundle('src/hot-path/keychain-hit.ts', 'dist/hot-keychain.cjs');
// Their import() of node:http(s) made a require(): code run from a vm.Script
// (the code cache) has no import(), and Node 20 would load its ESM loader for it.
const noImport = { supported: { 'dynamic-import': false } };
const loginBuild = await cachedBundle('src/hot-path/login-hit.ts', 'dist/hot-login.cjs', noImport);
const listBuild = await cachedBundle('src/cli/hot-list.ts', 'dist/hot-list.cjs', noImport);
/**
 * The export miss (src/cli/export-miss.ts). Its import() calls cannot become
 * require() as the other hot bundles' do: `open`, which an Identity Center
 * login may load, is ESM only. So they go through `__rolehopImport` (see
 * DYNAMIC_IMPORT_BANNER). Any import() still left after the rewrite (a
 * computed one, say) fails the build, not a run.
 */
// The store finds its native binding from the module's own URL (createRequire(import.meta.url)).
const MISS_BANNER = `${DYNAMIC_IMPORT_BANNER}\nconst __rolehopImportMetaUrl = require('node:url').pathToFileURL(__filename).href;`;
const missBuild = await cachedBundle(
  'src/cli/export-miss.ts',
  'dist/export-miss.cjs',
  { banner: { js: MISS_BANNER }, define: { ...common.define, 'import.meta.url': '__rolehopImportMetaUrl' } },
  async (text) => {
    const rewritten = text.replace(/(?<![\w$.])import\((?=["'])/g, '__rolehopImport(');
    // The banner's own import() is the fallback for a plain require() of the bundle.
    await assertNoDynamicImport('dist/export-miss.cjs', rewritten, MISS_BANNER.split('\n').length);
    return rewritten;
  },
);
await build({
  ...cjs,
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/cli.cjs',
  define: {
    ...common.define,
    __HOT_KEYCHAIN_BUILD__: JSON.stringify(hotBuild),
    __HOT_LOGIN_BUILD__: JSON.stringify(loginBuild),
    __HOT_LIST_BUILD__: JSON.stringify(listBuild),
    __EXPORT_MISS_BUILD__: JSON.stringify(missBuild),
  },
});
// Executable like npm's own bin linking leaves it: `git pull && npm run build`
// in a clone installed with `npm install -g ./clone` must keep `rolehop` runnable.
chmodSync('dist/cli.cjs', 0o755);
// The man page, from the same program (scripts/man.mjs).
await (await import('./man.mjs')).writeManPage();
