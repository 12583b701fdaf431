/** Seconds left below which the prompt turns to the warning colour. */
export const PROMPT_WARNING_SECONDS = 600;

// Both functions read only ROLEHOP_PROFILE and ROLEHOP_EXPIRES (Unix seconds)
// and start no node: a prompt runs before every command. ROLEHOP_EXPIRES is
// checked to be digits before any arithmetic, since shells evaluate variable
// contents inside $(( )). Output: "(prod 42m) " green, yellow under
// PROMPT_WARNING_SECONDS, "(prod expired) " red; nothing outside rolehop.

// bash: \001 and \002 tell readline which bytes take no room on the line
// (PS1's \[ \] are not read inside a command substitution's output).
// EPOCHSECONDS is bash 5; older bash (macOS's 3.2) asks date.
const BASH_PROMPT = `rolehop_prompt() {
  [ -n "\${ROLEHOP_PROFILE-}" ] || return 0
  local __rh_now __rh_left __rh_colour=32 __rh_text="$ROLEHOP_PROFILE"
  case "\${ROLEHOP_EXPIRES-}" in
    '' | *[!0-9]*) ;;
    *)
      __rh_now="\${EPOCHSECONDS:-$(date +%s)}"
      __rh_left=$((ROLEHOP_EXPIRES - __rh_now))
      if [ "$__rh_left" -le 0 ]; then
        __rh_colour=31 __rh_text="$__rh_text expired"
      elif [ "$__rh_left" -lt ${PROMPT_WARNING_SECONDS} ]; then
        __rh_colour=33 __rh_text="$__rh_text $((__rh_left / 60))m"
      elif [ "$__rh_left" -lt 3600 ]; then
        __rh_text="$__rh_text $((__rh_left / 60))m"
      else
        __rh_text="$__rh_text $((__rh_left / 3600))h$((__rh_left % 3600 / 60))m"
      fi ;;
  esac
  printf '\\001\\033[%sm\\002(%s)\\001\\033[0m\\002 ' "$__rh_colour" "$__rh_text"
}
`;

// zsh: the output is meant for a prompt with PROMPT_SUBST, where % sequences
// are expanded after substitution: %F{...} colours, and a % in a profile
// name is doubled so it stays text.
const ZSH_PROMPT = `rolehop_prompt() {
  [[ -n \${ROLEHOP_PROFILE-} ]] || return 0
  zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null
  local __rh_left __rh_colour=green __rh_text=\${ROLEHOP_PROFILE//\\%/%%}
  if [[ \${ROLEHOP_EXPIRES-} == <-> ]]; then
    __rh_left=$(( ROLEHOP_EXPIRES - EPOCHSECONDS ))
    if (( __rh_left <= 0 )); then
      __rh_colour=red __rh_text="$__rh_text expired"
    elif (( __rh_left < ${PROMPT_WARNING_SECONDS} )); then
      __rh_colour=yellow __rh_text="$__rh_text $(( __rh_left / 60 ))m"
    elif (( __rh_left < 3600 )); then
      __rh_text="$__rh_text $(( __rh_left / 60 ))m"
    else
      __rh_text="$__rh_text $(( __rh_left / 3600 ))h$(( __rh_left % 3600 / 60 ))m"
    fi
  fi
  print -rn -- "%F{$__rh_colour}($__rh_text)%f "
}
`;

/**
 * The `rolehop_prompt` function for bash or zsh: prints the shell's rolehop
 * profile and time left, coloured by how soon the credentials expire, for
 * use in `PS1` (bash) or `PROMPT`/`RPROMPT` with `setopt prompt_subst` (zsh).
 */
export function shellPrompt(shell: 'bash' | 'zsh'): string {
  const usage =
    shell === 'bash'
      ? `# Prompt: PS1='$(rolehop_prompt)'"$PS1"  (profile and time left; yellow under 10 min, red when expired)\n`
      : `# Prompt: setopt prompt_subst; RPROMPT='$(rolehop_prompt)'  (profile and time left; yellow under 10 min, red when expired)\n`;
  return usage + (shell === 'bash' ? BASH_PROMPT : ZSH_PROMPT);
}
