import { ErrorCodes, RolehopError } from '../../errors.js';

/**
 * What each shell's script asks: `rolehop __complete` with the words typed so
 * far. The scripts hold no command, flag or profile names: those come from
 * the program and the config at the time of the TAB, so a new command or
 * profile completes without regenerating anything. stdin is /dev/null and
 * stderr discarded, so a completion can never wait for input or print over
 * the line being edited.
 */

/** The shell function `shell-init` defines by default; `--rh-name` follows its `--name`. */
export const DEFAULT_FUNCTION_NAME = 'rh';

/** A name a shell accepts for a function and its completion, so it can go into a script unquoted. */
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function bash(fn: string): string {
  return `# rolehop completion for bash. Install: echo 'eval "$(rolehop completion bash)"' >> ~/.bashrc
_rolehop_complete() {
  local mode=()
  [[ $1 == ${fn} ]] && mode=(--function)
  mapfile -t COMPREPLY < <(command rolehop __complete "\${mode[@]}" --bash-cur "\${COMP_WORDS[COMP_CWORD]}" --bash-line "\${COMP_LINE:0:COMP_POINT}" 2>/dev/null </dev/null)
}
complete -o default -F _rolehop_complete rolehop ${fn}
`;
}

function zsh(fn: string): string {
  return `#compdef rolehop ${fn}
# rolehop completion for zsh. Install: echo 'source <(rolehop completion zsh)' >> ~/.zshrc
_rolehop() {
  local -a mode candidates
  [[ \${words[1]} == ${fn} ]] && mode=(--function)
  candidates=("\${(@f)$(command rolehop __complete $mode -- "\${(@Q)words[2,CURRENT-1]}" "\${(Q)PREFIX}" 2>/dev/null </dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} )); then compadd -a candidates; else _files; fi
}
if (( ! $+functions[compdef] )); then autoload -Uz compinit && compinit; fi
compdef _rolehop rolehop ${fn}
`;
}

function fish(fn: string): string {
  return `# rolehop completion for fish. Install: rolehop completion fish > ~/.config/fish/completions/rolehop.fish
function __rolehop_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    command rolehop __complete $argv -- $words "$current" 2>/dev/null </dev/null
end
complete -c rolehop -f -a '(__rolehop_complete)'
complete -c ${fn} -f -a '(__rolehop_complete --function)'
`;
}

const SCRIPTS: Record<string, (fn: string) => string> = { bash, zsh, fish };

/**
 * The completion script for `shell`, completing `rolehop` and the shell
 * function named `functionName` (its profile argument). A shell or a
 * function name that cannot be used is `ERR_USAGE`.
 */
export function completionScript(shell: string, functionName: string = DEFAULT_FUNCTION_NAME): string {
  const script = SCRIPTS[shell];
  if (!script) throw new RolehopError(ErrorCodes.USAGE, `No completion for the shell "${shell}"`, { hint: `Use one of: ${Object.keys(SCRIPTS).join(', ')}.` });
  if (!FUNCTION_NAME.test(functionName))
    throw new RolehopError(ErrorCodes.USAGE, `"${functionName}" cannot name a shell function`, {
      hint: 'Use letters, digits, _ and -, not starting with a digit or -.',
    });
  return script(functionName);
}
