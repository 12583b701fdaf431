import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Where a user's files live and who they are. */
export interface Locations {
  homeDir: string;
  /** `ROLEHOP_HOME`, default `~/.rolehop`. */
  rolehopHome: string;
  userName: string;
}

/**
 * Resolves home, rolehop home and user name from an environment snapshot,
 * the same way for the CLI and the library so both share one vault and cache.
 */
export function resolveLocations(env: Readonly<Record<string, string | undefined>>): Locations {
  const homeDir = env.HOME || homedir();
  let userName = env.USER || 'user';
  try {
    userName = userInfo().username;
  } catch {
    // some containers have no passwd entry: keep $USER
  }
  return { homeDir, rolehopHome: env.ROLEHOP_HOME || join(homeDir, '.rolehop'), userName };
}
