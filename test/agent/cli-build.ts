// The CLI bundle the server and agent tests run: the main dist/cli.cjs.
import { CLI_PATH, ensureBuilt } from '../helpers/run-cli.js';

/** Path of the built CLI (built first if stale). */
export async function cliWithServers(): Promise<string> {
  await ensureBuilt();
  return CLI_PATH;
}
