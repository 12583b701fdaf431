import { ExitCodes } from '../errors.js';

/**
 * Makes SIGINT and SIGTERM the user's to handle for the rest of the
 * process: the first one calls `onFirst` (a command asked to stop), a
 * second one ends the process at once with exit 130. The listeners stay
 * (not `once`): a later signal must still be ours, never Node's default
 * death by signal.
 */
export function handleStopSignals(onFirst: () => void): void {
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) process.exit(ExitCodes.INTERRUPTED);
    onFirst();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
