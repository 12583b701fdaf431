// Placeholder until the servers work lands (helper-3 replaces this file).
import { ErrorCodes, RolehopError } from '../errors.js';
import type { CliContext } from './cli-context.js';
export async function runWithServer(_cli: CliContext, _profile: string, _command: string[], _mode: 'ecs' | 'imds', _req: object): Promise<number> {
  throw new RolehopError(ErrorCodes.USAGE, 'exec --server is not available yet', { hint: 'Use plain exec.' });
}
