import { Argument } from 'commander';
import type { CommandSpec } from '../cli-context.js';
import { SHELLS } from '../completion/shells.js';

export const spec: CommandSpec = (program, invoke) => {
  program
    .command('completion')
    .description('print a completion script for bash, zsh or fish (commands, flags, profile and session names, regions)')
    .addArgument(new Argument('<shell>', 'bash | zsh | fish').choices(SHELLS))
    .option('--rh-name <name>', 'the name of the shell function from `rolehop shell-init --name` to complete too', 'rh')
    .addHelpText(
      'after',
      [
        '',
        'The script completes `rolehop` and the `rh` function of `rolehop shell-init` (its',
        'profile argument). Names come from the AWS config file at the time of the TAB, so',
        'a new profile completes at once; completing never prompts or calls AWS.',
        '',
        'Install:',
        `  bash: echo 'eval "$(rolehop completion bash)"' >> ~/.bashrc`,
        "  zsh:  echo 'source <(rolehop completion zsh)' >> ~/.zshrc",
        '  fish: rolehop completion fish > ~/.config/fish/completions/rolehop.fish',
        '',
        'Examples:',
        '  rolehop completion bash',
        '  rolehop completion zsh --rh-name assume',
      ].join('\n'),
    )
    .action(invoke(() => import('../commands/completion.js')));

  // The scripts' question, answered by the program itself: hidden from help and the man page.
  // Nothing it is given is a usage error (values optional, unknown options allowed, errors unprinted):
  // a completion prints candidates or nothing.
  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .option('--function')
    .option('--bash-line [text]')
    .option('--bash-cur [word]')
    .allowUnknownOption()
    .helpOption(false)
    .configureOutput({ writeErr: () => {}, outputError: () => {} })
    .action(async (words: string[], options: Record<string, unknown>) => {
      const { completionLines } = await import('../completion/run-complete.js');
      const lines = completionLines(program, words, options, process.env);
      if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
    });
};
