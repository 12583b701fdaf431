// Bundles the CLI and the library with esbuild.
//   dist/cli.cjs   the executable: CommonJS, one small file: the
//                  credential_process match and the agent client;
//   dist/hot-keychain.cjs  the keychain cache hit, loaded by cli.cjs on demand
//                  (README "Architecture");
//   dist/main.mjs  the rest of the CLI, ESM with code splitting, so the AWS
//                  SDK, prompts and backends load only when used;
//   dist/index.mjs the library entry.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

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
await build({
  ...common,
  entryPoints: { cli: 'src/cli/bin.ts', 'hot-keychain': 'src/cli/keychain-hit.ts' },
  outdir: 'dist',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  banner: { js: '#!/usr/bin/env node' },
});
