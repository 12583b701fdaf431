// `export` when the hot path found no cached session: the entry of
// dist/export-miss.cjs, a CommonJS bundle of its own that dist/cli.cjs
// loads through a V8 code cache (src/hot-path/code-cache.ts). Node 20 has
// no compile cache for the ESM bundle (dist/main.mjs), whose chunks
// otherwise cost most of a cold call's CPU to compile. Only this command's
// own modules are bundled: config, plan, broker, the STS client, the store
// and the session cache.
import exportCommand from './commands/export.js';
import { runHandler } from './run-handler.js';

/** Runs `rolehop export PROFILE` with the options the fast path matched, as `runDirect('export', ...)` would; exits. */
export function runExport(profile: string, opts: { format: string; region?: string }): Promise<void> {
  return runHandler(() => Promise.resolve({ default: exportCommand }), [profile], opts);
}
