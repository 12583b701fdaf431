import type { CommandSpec } from '../cli-context.js';

export const spec: CommandSpec = (program, invoke) => {
  program
    .command('shell-init')
    .description('print a shell function (rh) that switches the current shell to a profile')
    .argument('<shell>', 'bash | zsh | fish')
    .option('--name <name>', 'name of the function (default: rh)')
    .addHelpText(
      'after',
      [
        '',
        'Load it from your shell start-up file:',
        '  ~/.bashrc                   eval "$(rolehop shell-init bash)"',
        '  ~/.zshrc                    eval "$(rolehop shell-init zsh)"',
        '  ~/.config/fish/config.fish  rolehop shell-init fish | source',
        '',
        'Then:',
        "  rh prod                     set prod's credentials, ROLEHOP_PROFILE and ROLEHOP_EXPIRES here",
        '  rh prod -- terraform plan   run one command with them (rolehop exec)',
        '  rh --unset                  remove them again',
        '',
        'Run `rh prod` again to refresh (at most one MFA prompt). bash and zsh also get',
        'rolehop_prompt, which prints the profile and time left for PS1 or RPROMPT.',
        '',
        'Examples:',
        '  eval "$(rolehop shell-init bash)"',
        '  eval "$(rolehop shell-init zsh --name assume)"',
      ].join('\n'),
    )
    .action(invoke(() => import('../commands/shell-init.js')));
};
