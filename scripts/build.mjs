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
// The keychain hit first: its hash names its code cache (src/hot-path/code-cache.ts).
const hot = await build({ ...cjs, entryPoints: ['src/hot-path/keychain-hit.ts'], outfile: 'dist/hot-keychain.cjs', write: false });
const [hotFile] = hot.outputFiles;
mkdirSync('dist', { recursive: true });
writeFileSync(hotFile.path, hotFile.contents);
const hotBuild = createHash('sha256').update(hotFile.contents).digest('hex').slice(0, 16);
// Its import() of node:http(s) made a require(): code run from a vm.Script
// (the code cache) has no import(), and Node 20 would load its ESM loader for it.
const login = await build({
  ...cjs,
  entryPoints: ['src/hot-path/login-hit.ts'],
  outfile: 'dist/hot-login.cjs',
  supported: { 'dynamic-import': false },
  write: false,
});
const [loginFile] = login.outputFiles;
writeFileSync(loginFile.path, loginFile.contents);
const loginBuild = createHash('sha256').update(loginFile.contents).digest('hex').slice(0, 16);
const list = await build({ ...cjs, entryPoints: ['src/cli/hot-list.ts'], outfile: 'dist/hot-list.cjs', supported: { 'dynamic-import': false }, write: false });
const [listFile] = list.outputFiles;
writeFileSync(listFile.path, listFile.contents);
const listBuild = createHash('sha256').update(listFile.contents).digest('hex').slice(0, 16);
/**
 * The export miss (src/cli/export-miss.ts). Its import() calls cannot become
 * require() as the other hot bundles' do: `open`, which an Identity Center
 * login may load, is ESM only. So they go through `__rolehopImport`, the
 * import() requireWithCodeCache hands in (code compiled by node:vm has no
 * import() of its own without --experimental-vm-modules), and builtins are
 * required, so Node's ESM loader need not start.
 */
const DYNAMIC_IMPORT =
  'var __rolehopImport = ((load) => (s) => s.startsWith("node:") ? Promise.resolve().then(() => { const m = require(s); return { ...m, default: m }; }) : load(s))(__rolehopImport || ((s) => import(s)));';
const miss = await build({
  ...cjs,
  entryPoints: ['src/cli/export-miss.ts'],
  outfile: 'dist/export-miss.cjs',
  banner: {
    // The store finds its native binding from the module's own URL (createRequire(import.meta.url)).
    js: `${DYNAMIC_IMPORT}\nconst __rolehopImportMetaUrl = require('node:url').pathToFileURL(__filename).href;`,
  },
  define: { ...common.define, 'import.meta.url': '__rolehopImportMetaUrl' },
  write: false,
});
const missText = miss.outputFiles[0].text.replace(/(?<![\w$.])import\((?=["'])/g, '__rolehopImport(');
writeFileSync(miss.outputFiles[0].path, missText);
const missBuild = createHash('sha256').update(missText).digest('hex').slice(0, 16);
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
