// The CLI bundle these tests run. Once the integrator has registered the
// `server` and `agent` specs and wired the agent into `cli.broker()`, this is
// simply dist/cli.mjs. Until then it builds a private bundle (same esbuild
// settings) with those two registrations patched in at load time, so the
// end-to-end tests can run without touching files this feature does not own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_PATH, REPO_ROOT, ensureBuilt } from '../helpers/run-cli.js';

const SPEC_INDEX = join(REPO_ROOT, 'src', 'cli', 'spec', 'index.ts');
const BUILD_CONTEXT = join(REPO_ROOT, 'src', 'cli', 'build-context.ts');
const OUT = join(REPO_ROOT, 'node_modules', '.cache', 'rolehop-servers-cli');

/** Whether the main bundle already has everything. */
export function mainIsWired(): boolean {
  const idx = readFileSync(SPEC_INDEX, 'utf8');
  return idx.includes("'./server.js'") && idx.includes("'./agent.js'") && readFileSync(BUILD_CONTEXT, 'utf8').includes('agentBrokerFor');
}

let built: Promise<string> | undefined;

/** Path of a CLI bundle with `server`, `agent` and agent-aware `cli.broker()`. */
export function cliWithServers(): Promise<string> {
  built ??= (async () => {
    if (mainIsWired()) {
      await ensureBuilt();
      return CLI_PATH;
    }
    const { build } = await import('esbuild');
    await build({
      entryPoints: { cli: join(REPO_ROOT, 'src/cli/bin.ts') },
      outdir: OUT,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      mainFields: ['module', 'main'],
      target: 'node20',
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunks/[name]-[hash]',
      external: ['@napi-rs/keyring', 'open'],
      banner: { js: "import { createRequire as __rolehopCreateRequire } from 'node:module'; const require = __rolehopCreateRequire(import.meta.url);" },
      legalComments: 'none',
      logLevel: 'warning',
      plugins: [
        {
          name: 'wire-servers-and-agent',
          setup(b) {
            b.onLoad({ filter: /src[\\/]cli[\\/]spec[\\/]index\.ts$/ }, () => {
              let src = readFileSync(SPEC_INDEX, 'utf8');
              if (!src.includes("'./server.js'")) src += "\nimport { spec as __server } from './server.js';\nspecs.push(__server);\n";
              if (!src.includes("'./agent.js'")) src += "\nimport { spec as __agent } from './agent.js';\nspecs.push(__agent);\n";
              return { contents: src, loader: 'ts' };
            });
            b.onLoad({ filter: /src[\\/]cli[\\/]build-context\.ts$/ }, () => {
              let src = readFileSync(BUILD_CONTEXT, 'utf8');
              if (!src.includes('agentBrokerFor')) {
                const anchor = 'broker ??= (async () => {';
                if (!src.includes(anchor)) throw new Error('cli-build: cannot find the broker() anchor in build-context.ts');
                src = src.replace(
                  anchor,
                  `${anchor}\n        { const { agentBrokerFor } = await import('../agent/use-agent.js'); const remote = await agentBrokerFor(cli); if (remote) return remote; }`,
                );
              }
              return { contents: src, loader: 'ts' };
            });
          },
        },
      ],
    });
    return join(OUT, 'cli.mjs');
  })();
  return built;
}
