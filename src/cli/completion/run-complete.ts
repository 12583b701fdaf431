import type { Command } from 'commander';
import { loadAwsConfig } from '../../config/load-config.js';
import { resolveLocations } from '../../io/locations.js';
import { bashReplies, splitBashLine } from './bash-line.js';
import { completeShellFunctionWords, completeWords, type CompletionSources } from './complete-words.js';

/** Options of the hidden `__complete` command, as the scripts of `completion` pass them. */
export interface CompleteOptions {
  /** Complete for the `shell-init` function (`rh`) instead of `rolehop`. */
  function?: boolean;
  /** bash: `COMP_LINE` up to `COMP_POINT`, split here instead of the words. */
  bashLine?: string;
  /** bash: `COMP_WORDS[COMP_CWORD]`, the part of the word bash will replace. */
  bashCur?: string;
}

/**
 * Names from the AWS config file the CLI would read (`AWS_CONFIG_FILE`, else
 * `~/.aws/config`, as `buildCliContext` resolves it), loaded once and only
 * when a word needs them. A file that cannot be read offers nothing: a
 * completion must never fail out loud.
 */
function configSources(env: NodeJS.ProcessEnv): CompletionSources {
  let config: ReturnType<typeof loadAwsConfig> | null | undefined;
  const load = () => {
    if (config === undefined) {
      try {
        config = loadAwsConfig(env, resolveLocations(env).homeDir);
      } catch {
        config = null;
      }
    }
    return config;
  };
  return {
    profiles: () => [...(load()?.profiles.keys() ?? [])],
    ssoSessions: () => [...(load()?.ssoSessions?.keys() ?? [])],
  };
}

/** The options as commander parsed them; a flag given without its value (`--bash-line` alone) counts as absent. */
function completeOptions(given: Readonly<Record<string, unknown>>): CompleteOptions {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const bashLine = text(given.bashLine);
  const bashCur = text(given.bashCur);
  return { function: given.function === true, ...(bashLine !== undefined ? { bashLine } : {}), ...(bashCur !== undefined ? { bashCur } : {}) };
}

/**
 * The candidates `__complete` prints, one a line. It reads only the program
 * and the AWS config file: no store is opened, nothing is asked, no AWS call
 * is made, and any failure yields no candidates rather than an error.
 */
export function completionLines(program: Command, words: readonly string[], given: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): string[] {
  try {
    const options = completeOptions(given);
    const sources = configSources(env);
    if (options.bashLine === undefined) {
      return options.function ? completeShellFunctionWords(words, sources) : completeWords(program, words.length ? words : [''], sources);
    }
    const line = splitBashLine(options.bashLine);
    const after = line.words.slice(1);
    const candidates = options.function ? completeShellFunctionWords(after, sources) : completeWords(program, after, sources);
    return bashReplies(candidates, line.lastRaw, options.bashCur ?? line.lastRaw);
  } catch {
    return [];
  }
}
