import { closeNames } from '../../config/close-names.js';
import { CREDENTIAL_VARIABLE_NAMES } from '../../credentials/child-env.js';
import { ErrorCodes, RolehopError } from '../../errors.js';
import { shellPrompt } from './shell-prompt.js';

/** The shells `rolehop shell-init` writes a function for. */
export const INIT_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type InitShell = (typeof INIT_SHELLS)[number];

/** Default name of the function: short, and free in common shells. */
export const DEFAULT_FUNCTION_NAME = 'rh';

const RC_FILES: Record<InitShell, string> = { bash: '~/.bashrc', zsh: '~/.zshrc', fish: '~/.config/fish/config.fish' };

/** The start-up file of `shell` and the line in it that loads the function named `name`. */
export function rcLine(shell: InitShell, name: string): { file: string; line: string } {
  const command = `rolehop shell-init ${shell}${name === DEFAULT_FUNCTION_NAME ? '' : ` --name ${name}`}`;
  return { file: RC_FILES[shell], line: shell === 'fish' ? `${command} | source` : `eval "$(${command})"` };
}

// A name every supported shell accepts as a function name without quoting.
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The shell named on the command line; ERR_USAGE (with the closest name) for anything else. */
export function initShell(name: string | undefined): InitShell {
  if (name && (INIT_SHELLS as readonly string[]).includes(name)) return name as InitShell;
  const guess = name ? closeNames(name, INIT_SHELLS, 1)[0] : undefined;
  throw new RolehopError(ErrorCodes.USAGE, name ? `Unknown shell "${name}"` : 'A shell name is required', {
    hint: `Use one of: ${INIT_SHELLS.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}.`,
  });
}

/** The `--name` value, checked: it becomes a function name in the user's shell. */
export function functionName(name: string | undefined): string {
  const n = name ?? DEFAULT_FUNCTION_NAME;
  if (!FUNCTION_NAME.test(n) || n === 'rolehop') {
    throw new RolehopError(ErrorCodes.USAGE, `"${n}" cannot be used as the function name`, {
      hint: 'Use letters, digits and underscores, not starting with a digit, and not "rolehop" itself.',
    });
  }
  return n;
}

const NAMES = CREDENTIAL_VARIABLE_NAMES.join(' ');

// `command rolehop` bypasses any function or alias of that name. Credentials
// are only ever in the output of `rolehop export`, which is evaluated, never
// typed: history records `rh prod`, nothing else. The export runs in a
// command substitution, so a failed export (wrong profile, Ctrl-C at the MFA
// prompt) changes nothing. When the shell holds credentials rh set itself,
// those are hidden from rolehop: they must not be taken for the user's own
// environment credentials or region.
function posixFunction(shell: 'bash' | 'zsh', name: string): string {
  const rc = rcLine(shell, name);
  return `# rolehop shell integration for ${shell}. Load it from ${rc.file} with:
#   ${rc.line}
# ${name} PROFILE           use PROFILE's credentials in this shell
# ${name} PROFILE -- CMD    run CMD with them (rolehop exec)
# ${name} --unset           forget them
${name}() {
  case "\${1-}" in
    --unset)
      unset ${NAMES}
      return 0 ;;
    -h|--help)
      printf '%s\\n' 'usage: ${name} PROFILE [export options] | ${name} PROFILE -- COMMAND [ARGS...] | ${name} --unset'
      return 0 ;;
  esac
  local __rh_arg __rh_out
  for __rh_arg in "$@"; do
    if [ "$__rh_arg" = "--" ]; then
      (
        [ -n "\${ROLEHOP_PROFILE-}" ] && unset ${NAMES}
        command rolehop exec "$@"
      )
      return
    fi
  done
  __rh_out="$(
    [ -n "\${ROLEHOP_PROFILE-}" ] && unset ${NAMES}
    command rolehop export "$@" --format sh
  )" || return
  eval "$__rh_out"
}
`;
}

function fishFunction(name: string): string {
  const rc = rcLine('fish', name);
  return `# rolehop shell integration for fish. Load it from ${rc.file} with:
#   ${rc.line}
# ${name} PROFILE           use PROFILE's credentials in this shell
# ${name} PROFILE -- CMD    run CMD with them (rolehop exec)
# ${name} --unset           forget them
function ${name} --description 'rolehop: use a profile in this shell'
    switch "$argv[1]"
        case --unset
            set -e ${NAMES}
            return 0
        case -h --help
            echo 'usage: ${name} PROFILE [export options] | ${name} PROFILE -- COMMAND [ARGS...] | ${name} --unset'
            return 0
    end
    set -l __rh_hide
    if set -q ROLEHOP_PROFILE
        for __rh_var in ${NAMES}
            set -a __rh_hide -u $__rh_var
        end
    end
    if contains -- -- $argv
        env $__rh_hide rolehop exec $argv
        return $status
    end
    set -l __rh_out (env $__rh_hide rolehop export $argv --format fish)
    or return $status
    # set keeps the status before it: the erase of variables that were not set would leak out.
    printf '%s\\n' $__rh_out | source
    return 0
end
`;
}

/** The script `rolehop shell-init SHELL` prints: the switching function, and for bash and zsh a prompt function. */
export function shellInitScript(shell: InitShell, name: string): string {
  if (shell === 'fish') return fishFunction(name);
  return `${posixFunction(shell, name)}\n${shellPrompt(shell)}`;
}
