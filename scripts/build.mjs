// Bundles the CLI and the library with esbuild. Code splitting keeps the AWS
// SDK, prompts and backends in lazily imported chunks, so a cache hit loads
// only the small entry chunk (see README "Start-up").
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/bin.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // Prefer the SDK's ESM builds: named exports survive dynamic import() and tree-shaking works.
  mainFields: ['module', 'main'],
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // Native binding and packages that locate files next to themselves stay external.
  external: ['@napi-rs/keyring', 'open'],
  banner: {
    // Some bundled CommonJS dependencies call require(); give ESM chunks one.
    js: "import { createRequire as __rolehopCreateRequire } from 'node:module'; const require = __rolehopCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
