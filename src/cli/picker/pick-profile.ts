import { join } from 'node:path';
import { styleText } from 'node:util';
import { cachedAccountNames } from '../../engine/cached-account-names.js';
import { ErrorCodes, RolehopError } from '../../errors.js';
import type { CliContext } from '../cli-context.js';
import { openTerminal } from '../terminal.js';
import { choiceLabel, profileChoices } from './profile-choices.js';
import { rankProfiles } from './rank-profiles.js';

/** Names wider than this are not padded to: one long name must not push every line's details off the screen. */
const MAX_NAME_COLUMN = 32;

function helpTip(keys: [key: string, action: string][]): string {
  return [...keys, ['esc', 'cancel'] as [string, string]].map(([k, a]) => `${styleText('bold', k)} ${styleText('dim', a)}`).join(styleText('dim', ' • '));
}

/**
 * Asks for a profile on the controlling terminal: a filter line over the
 * config's profiles (their names, accounts, account names from the cached
 * Organizations inventory, and roles; see `rankProfiles`), with up/down to
 * move and Enter to choose. The picker is drawn on the terminal itself, so
 * stdout can stay captured (`eval "$(rolehop export ...)"`). Esc, Ctrl-C
 * and the command's abort signal cancel it with ERR_ABORTED; ERR_USAGE when
 * there is no terminal or no profile to pick. Resolves with the name chosen.
 */
export async function pickProfile(cli: CliContext): Promise<string> {
  const choices = profileChoices(cli.config(), await cachedAccountNames(join(cli.rolehopHome, 'cache')));
  if (!choices.length) {
    throw new RolehopError(ErrorCodes.USAGE, `A profile name is required, and ${cli.config().path} has no profiles to pick from`, {
      hint: 'Add a profile to the config, or store a key with `rolehop add PROFILE` and name it.',
    });
  }
  const term = openTerminal();
  if (!term) throw new RolehopError(ErrorCodes.USAGE, 'A profile name is required', { hint: 'There is no terminal to pick one on: name the profile.' });
  const width = Math.min(MAX_NAME_COLUMN, Math.max(...choices.map((c) => c.name.length)));
  // Esc is not a cancel key of the prompt library: it aborts through the prompt's signal.
  const esc = new AbortController();
  const onKey = (_s: unknown, key: { name?: string } | undefined) => {
    if (key?.name === 'escape') esc.abort();
  };
  term.input.on('keypress', onKey);
  try {
    const { default: search } = await import('@inquirer/search');
    const picked = await search(
      {
        message: 'Profile',
        pageSize: Math.max(3, Math.min(12, (term.output.rows || 24) - 4)),
        source: (typed) => rankProfiles(choices, typed ?? '').map((c) => ({ value: c.name, name: choiceLabel(c, width), short: c.name })),
        theme: { style: { keysHelpTip: helpTip } },
      },
      // Cleared when done, so a cancelled picker leaves no list behind; a pick leaves one line saying what was picked.
      { input: term.input, output: term.output, clearPromptOnDone: true, signal: AbortSignal.any([esc.signal, cli.signal]) },
    );
    // The prompt ended its output stream; stderr is this same terminal (the picker opens only then).
    cli.stderr.write(`Profile: ${picked}\n`);
    return picked;
  } catch (e) {
    const name = (e as Error)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError') throw new RolehopError(ErrorCodes.ABORTED, 'No profile picked (cancelled)');
    throw e;
  } finally {
    term.input.off('keypress', onKey);
    term.close();
  }
}
