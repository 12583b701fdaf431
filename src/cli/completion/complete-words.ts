import type { Argument, Command, Option } from 'commander';
import { DEFAULT_ENABLED_REGIONS, KNOWN_REGIONS } from '../../engine/regions.js';
import { SHELLS } from './shells.js';

/** Values only the user's files know; each is read only when a word needs it. */
export interface CompletionSources {
  /** Profile names of the AWS config file. */
  profiles(): readonly string[];
  /** `[sso-session NAME]` names of the AWS config file. */
  ssoSessions(): readonly string[];
}

/** The default regions first (those `--regions all` means), then the rest rolehop knows. */
const REGION_NAMES = [...new Set([...DEFAULT_ENABLED_REGIONS, ...KNOWN_REGIONS])];

/** The command a word list has reached, and what its last word is. */
interface Position {
  command: Command;
  /** The option whose value the current word is, if any. */
  valueFor?: Option;
  /** Positional arguments before the current word. */
  positionals: number;
  /** A `--` came before the current word: the rest belongs to a child command. */
  afterDashDash: boolean;
}

/** Options a word can name on `cmd`: its own (help included) and those of every command above it. */
function optionsOf(cmd: Command): Option[] {
  const all = [...cmd.createHelp().visibleOptions(cmd)];
  for (let up = cmd.parent; up; up = up.parent) all.push(...up.options.filter((o) => !o.hidden));
  return all;
}

function findOption(cmd: Command, word: string): Option | undefined {
  return optionsOf(cmd).find((o) => o.long === word || o.short === word);
}

function findSubcommand(cmd: Command, word: string): Command | undefined {
  return cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
}

/** Walks the words before the last one the way commander would parse them. */
function locate(program: Command, before: readonly string[]): Position {
  let command = program;
  let positionals = 0;
  for (let i = 0; i < before.length; i++) {
    const word = before[i]!;
    if (word === '--') return { command, positionals, afterDashDash: true };
    if (word.startsWith('-') && word !== '-') {
      const option = findOption(command, word.split('=', 1)[0]!);
      // A value in the next word: `--region eu-west-1`, not `--region=eu-west-1`.
      if (option?.required && !word.includes('=')) {
        if (i === before.length - 1) return { command, valueFor: option, positionals, afterDashDash: false };
        i++;
      }
      continue;
    }
    const sub = positionals === 0 ? findSubcommand(command, word) : undefined;
    if (sub) command = sub;
    else positionals++;
  }
  return { command, positionals, afterDashDash: false };
}

/**
 * The values an option lists in its help as `a | b | c` (`--format`,
 * `--backend`), so a new value needs no second list here.
 */
export function listedValues(description: string): string[] {
  const m = /(?:^|: )([\w-]+(?: \| [\w-]+)+)/.exec(description);
  return m ? m[1]!.split(' | ') : [];
}

/** Candidates for a comma-separated list: the part after the last comma, kept with what came before it. */
function listItems(word: string, items: readonly string[]): string[] {
  const cut = word.lastIndexOf(',') + 1;
  const done = word.slice(0, cut);
  const already = new Set(done.split(','));
  return items.filter((r) => !already.has(r)).map((r) => done + r);
}

function optionValues(option: Option, word: string, sources: CompletionSources): string[] {
  if (option.argChoices) return option.argChoices;
  const long = option.long ?? '';
  if (long === '--regions') return listItems(word, word.includes(',') ? REGION_NAMES : ['all', ...REGION_NAMES]);
  if (option.flags.includes('<region>')) return REGION_NAMES;
  if (long === '--profile' || long === '--source-profile') return [...sources.profiles()];
  if (long === '--sso-session' || long === '--session') return [...sources.ssoSessions()];
  return listedValues(option.description);
}

function argumentValues(arg: Argument | undefined, sources: CompletionSources): readonly string[] {
  if (!arg) return [];
  if (arg.argChoices) return arg.argChoices;
  if (arg.name() === 'profile') return sources.profiles();
  if (arg.name() === 'shell') return SHELLS;
  return [];
}

/** The positional argument a position fills, the last one taking every further word when it is variadic. */
function argumentAt(cmd: Command, index: number): Argument | undefined {
  const args = cmd.registeredArguments;
  const last = args[args.length - 1];
  return args[index] ?? (last?.variadic ? last : undefined);
}

function flagCandidates(cmd: Command): string[] {
  return optionsOf(cmd).flatMap((o) => (o.long ? [o.long] : o.short ? [o.short] : []));
}

/**
 * What can complete the last of `words` (the words after `rolehop`, the last
 * one being the partial word under the cursor, possibly empty), read from
 * the commander program: subcommands, flags of the command reached and of
 * the commands above it, and option and argument values. Only candidates
 * that start with the partial word are returned, each once, in a stable
 * order. Pure apart from `sources`, which it calls only when a profile or
 * session name can complete the word.
 */
export function completeWords(program: Command, words: readonly string[], sources: CompletionSources): string[] {
  const word = words[words.length - 1] ?? '';
  const pos = locate(program, words.slice(0, -1));
  let candidates: readonly string[] = [];
  if (pos.afterDashDash) candidates = [];
  else if (pos.valueFor) candidates = optionValues(pos.valueFor, word, sources);
  else if (word.startsWith('--') && word.includes('=')) {
    const [flag] = word.split('=', 1) as [string];
    const option = findOption(pos.command, flag);
    const value = word.slice(flag.length + 1);
    candidates = option?.required ? optionValues(option, value, sources).map((v) => `${flag}=${v}`) : [];
  } else if (word.startsWith('-')) candidates = flagCandidates(pos.command);
  else if (pos.command.commands.length && pos.positionals === 0)
    candidates = pos.command
      .createHelp()
      .visibleCommands(pos.command)
      .map((c) => c.name());
  else candidates = argumentValues(argumentAt(pos.command, pos.positionals), sources);
  return [...new Set(candidates.filter((c) => c.startsWith(word)))];
}

/**
 * The same for the shell function `shell-init` defines (`rh PROFILE [-- CMD]`):
 * its first argument is a profile name; nothing else is completed.
 */
export function completeShellFunctionWords(words: readonly string[], sources: CompletionSources): string[] {
  if (words.length !== 1) return [];
  const word = words[0]!;
  if (word.startsWith('-')) return [];
  return sources.profiles().filter((p) => p.startsWith(word));
}
