import type { CommandHandler } from '../cli-context.js';
import { completionScript } from '../completion/completion-scripts.js';

export default (async (cli, [shell], options: { rhName: string }) => {
  cli.stdout.write(completionScript(shell!, options.rhName));
  return 0;
}) satisfies CommandHandler<{ rhName: string }>;
