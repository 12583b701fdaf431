import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ErrorCodes, RolehopError } from '../errors.js';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

/**
 * Runs a child with inherited stdio and the given environment, forwards
 * signals to it, and resolves with its exit code (128 + signal number when
 * it was killed by a signal, as shells report it).
 */
export function runChild(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    const forward = (sig: NodeJS.Signals) => () => {
      child.kill(sig);
    };
    const handlers = FORWARDED.map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    const cleanup = () => {
      for (const [s, h] of handlers) process.off(s, h);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      cleanup();
      reject(
        new RolehopError(ErrorCodes.CHILD_SPAWN, `Could not run "${command}": ${e.code === 'ENOENT' ? 'command not found' : e.message}`, {
          hint: 'Check the command name and PATH.',
        }),
      );
    });
    child.on('exit', (code, signal) => {
      cleanup();
      if (signal) resolve(128 + (constants.signals[signal] ?? 0));
      else resolve(code ?? 1);
    });
  });
}
