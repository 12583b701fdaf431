import type { CommandHandler } from '../cli-context.js';
import { functionName, initShell, rcLine, shellInitScript } from '../output/shell-functions.js';

interface Opts {
  name?: string;
}

export default (async (cli, args, opts) => {
  const shell = initShell(args[0]);
  const name = functionName(opts.name);
  cli.stdout.write(shellInitScript(shell, name));
  // Printed on a terminal, the script does nothing: say how to load it.
  if (cli.tty.stdout) {
    const rc = rcLine(shell, name);
    cli.stderr.write(`\n# To use it, add this line to ${rc.file} and open a new shell:\n#   ${rc.line}\n`);
  }
  return 0;
}) satisfies CommandHandler<Opts>;
