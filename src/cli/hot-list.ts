// `rolehop list` without main.mjs: built as a CommonJS bundle of its own
// (dist/hot-list.cjs) that dist/cli.cjs loads through the V8 code cache.
import { loadAwsConfig } from '../config/load-config.js';
import { StoreVault } from '../credentials/vault.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { systemClock, type Logger } from '../io/context.js';
import { resolveLocations } from '../io/locations.js';
import { listCommand } from './commands/list.js';
import { BORDERED_ROW_LIMIT } from './output/row-table.js';

/** The backends `buildCliContext` accepts; another name is its usage error to report. */
const BACKENDS = ['file', 'keychain', 'memory'];

/**
 * What `rolehop list` prints on stdout, from the same handler with only the
 * parts of the CLI context it uses, or undefined to take the normal path
 * whenever that path would say anything else: an unknown ROLEHOP_BACKEND, a
 * config warning, a warning while reading (the normal path prints it on
 * stderr), an error (it reports it), or a table too long to print all at
 * once. The caller has checked the home
 * (see `hotHome`). An abort through `signal` is thrown as the normal path throws it.
 */
export async function listText(env: Readonly<Record<string, string | undefined>>, signal: AbortSignal): Promise<string | undefined> {
  if (env.ROLEHOP_BACKEND !== undefined && !BACKENDS.includes(env.ROLEHOP_BACKEND)) return undefined;
  const parts: string[] = [];
  let spoke = false;
  const logger: Logger = {
    debug: () => {},
    info: () => void (spoke = true),
    warn: () => void (spoke = true),
  };
  try {
    const { homeDir, rolehopHome } = resolveLocations(env);
    const config = loadAwsConfig(env, homeDir);
    if (config.warnings?.length) return undefined;
    // Listing reads only the vault's index: the store is never opened.
    const vault = new StoreVault(
      rolehopHome,
      () => Promise.reject(new RolehopError(ErrorCodes.INTERNAL, 'list opened the secret store')),
      () => 'file',
    );
    // Tables past the bordered limit are streamed in chunks a signal can
    // stop: the normal path's to print (everything here is printed at the end).
    if (config.profiles.size + vault.list().length > BORDERED_ROW_LIMIT) return undefined;
    const stdout = {
      write: (chunk: string) => {
        parts.push(chunk);
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const code = await listCommand({ vault: async () => vault, config: () => config, rolehopHome, logger, clock: systemClock, json: false, stdout, signal });
    return code === 0 && !spoke ? parts.join('') : undefined;
  } catch (e) {
    if (signal.aborted) throw e;
    return undefined;
  }
}
