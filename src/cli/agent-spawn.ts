import { spawn, type ChildProcess } from 'node:child_process';
import { withoutRolehopSecrets } from '../credentials/child-env.js';
import type { StoreKind } from '../stores/contract.js';

/** What the starter sends the daemon on its stdin (never argv, never env). */
export interface DaemonInit {
  passphrase?: string;
  backend?: StoreKind;
  idleTimeoutMs: number;
}

/**
 * Starts `rolehop agent serve` detached, in its own session, with rolehop's
 * secrets removed from its environment, and writes `init` (the passphrase
 * included) to its stdin. `readStdout` keeps a pipe on the daemon's stdout
 * for its readiness line (`agent start`); otherwise its output is dropped.
 * `written` settles once `init` has left this process, so a caller about to
 * exit can wait for it.
 */
export function spawnAgentDaemon(
  env: Readonly<Record<string, string | undefined>>,
  rolehopHome: string,
  init: DaemonInit,
  readStdout: boolean,
): { child: ChildProcess; written: Promise<void> } {
  const childEnv = withoutRolehopSecrets(env);
  childEnv.ROLEHOP_HOME = rolehopHome;
  delete childEnv.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'agent', 'serve'], {
    detached: true,
    stdio: ['pipe', readStdout ? 'pipe' : 'ignore', 'ignore'],
    env: childEnv,
  });
  child.once('error', () => {});
  child.stdin!.on('error', () => {});
  const written = new Promise<void>((resolve) => {
    child.stdin!.once('finish', resolve);
    child.stdin!.once('error', () => resolve());
    child.once('error', () => resolve());
  });
  child.stdin!.end(JSON.stringify(init) + '\n');
  return { child, written };
}
