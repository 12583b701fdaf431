import { ErrorCodes, RolehopError } from '../errors.js';
import type { MfaRequest, Prompter } from '../io/context.js';
import { MFA_CODE_SHAPE, normalizeMfaCode } from '../sessions/mfa.js';

/** Where MFA codes and passphrases may come from, in order. */
export interface PrompterSources {
  /** `--mfa-token`, already checked (see {@link mfaTokenOption}): used for the first code asked, once (codes are single-use). */
  mfaToken?: string;
  /** `ROLEHOP_FILE_PASSPHRASE`. */
  passphrase?: string;
  /** Environment for `mfa_process` commands (rolehop's secrets already removed). */
  childEnv: Record<string, string>;
  /** Ctrl-C or SIGTERM: stops a running `mfa_process` with everything it started. */
  signal?: AbortSignal;
  /** A status line (run's progress bar) to take off the terminal while a question is asked. */
  screen?: { pause(): void; resume(): void };
}

async function ask(message: string, secret: boolean, what: string, hint: string, screen?: PrompterSources['screen']): Promise<string> {
  screen?.pause();
  try {
    return await askOnTerminal(message, secret, what, hint);
  } finally {
    screen?.resume();
  }
}

async function askOnTerminal(message: string, secret: boolean, what: string, hint: string): Promise<string> {
  // Loaded on demand: the cache-hit path never prompts and should not pay for tty.
  const { openTerminal } = await import('./terminal.js');
  const term = openTerminal();
  if (!term) throw new RolehopError(secret ? ErrorCodes.VAULT_NO_PASSPHRASE : ErrorCodes.MFA_UNAVAILABLE, `No terminal to ask for ${what}`, { hint });
  try {
    const opts = { input: term.input, output: term.output, clearPromptOnDone: false };
    if (secret) {
      const { default: password } = await import('@inquirer/password');
      return await password({ message, mask: '*' }, opts);
    }
    const { default: input } = await import('@inquirer/input');
    return await input({ message }, opts);
  } catch (e) {
    if ((e as Error)?.name === 'ExitPromptError') throw new RolehopError(ErrorCodes.ABORTED, 'Prompt cancelled');
    throw e;
  } finally {
    term.close();
  }
}

const MFA_PROCESS_HINT = 'Run the command by hand; it must print the 6-digit code on stdout.';

/**
 * `--mfa-token` as the prompter takes it: normalized as every code is
 * (`normalizeMfaCode`), undefined when not given. A value that is not an
 * MFA code is a usage error here, before anything is read or sent to STS;
 * the message never holds the value, which is a secret.
 */
export function mfaTokenOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const code = normalizeMfaCode(value);
  if (code === undefined) {
    throw new RolehopError(ErrorCodes.USAGE, '--mfa-token is not an MFA code', {
      hint: `${MFA_CODE_SHAPE}: pass the one your MFA device shows now, or leave --mfa-token out to be asked for it.`,
    });
  }
  return code;
}

async function runMfaProcess(command: string, src: PrompterSources, profile: string): Promise<string> {
  const [{ commandName, runHelper }, { helperTimeoutMs, HELPER_TIMEOUT_VARIABLES }] = await Promise.all([
    import('../io/run-helper.js'),
    import('../config/helper-timeouts.js'),
  ]);
  const out = await runHelper({
    command,
    env: src.childEnv,
    label: { key: 'mfa_process', profile, code: ErrorCodes.MFA_UNAVAILABLE, hint: MFA_PROCESS_HINT, timeoutVariable: HELPER_TIMEOUT_VARIABLES.mfa_process },
    timeoutMs: helperTimeoutMs(src.childEnv, 'mfa_process'),
    ...(src.signal ? { signal: src.signal } : {}),
  });
  const code = normalizeMfaCode(out);
  if (code === undefined) {
    // Not repeated: the same command would most likely print the same.
    throw new RolehopError(ErrorCodes.MFA_INVALID, `mfa_process of profile "${profile}" (${commandName(command)}) printed no MFA code`, {
      hint: `${MFA_CODE_SHAPE}. ${MFA_PROCESS_HINT}`,
      details: { helper: 'mfa_process', profile },
    });
  }
  return code;
}

/** Codes of the wrong shape typed at the terminal before the command fails (as for passphrases). */
const MFA_ATTEMPTS = 3;

/**
 * Asks the terminal for an MFA code until one has the shape of a code,
 * saying why the last was not taken, at most {@link MFA_ATTEMPTS} times.
 * Only the shape is checked here: whether STS takes the code is not known
 * until it is sent, and a code works only once.
 */
async function askMfaOnTerminal(req: MfaRequest, screen: PrompterSources['screen']): Promise<string> {
  const question = `MFA code for ${req.serial} (profile ${req.profile}):`;
  for (let left = MFA_ATTEMPTS; ; left--) {
    const why = left < MFA_ATTEMPTS ? `${MFA_CODE_SHAPE}, try again (${left} left). ` : '';
    const code = normalizeMfaCode(await ask(`${why}${question}`, false, 'an MFA code', 'Pass --mfa-token CODE, or set mfa_process in the profile.', screen));
    if (code !== undefined) return code;
    if (left === 1) {
      throw new RolehopError(ErrorCodes.MFA_INVALID, `No MFA code for ${req.serial} in ${MFA_ATTEMPTS} attempts`, {
        hint: `${MFA_CODE_SHAPE} (spaces between them are ignored): type the one your MFA device shows now.`,
      });
    }
  }
}

/**
 * The CLI's Prompter: MFA codes from `--mfa-token`, then `mfa_process`, then
 * the controlling terminal, each checked and normalized (`normalizeMfaCode`); passphrases from ROLEHOP_FILE_PASSPHRASE, then the
 * terminal. With neither, it fails at once with a hint instead of hanging.
 */
export function createTtyPrompter(src: PrompterSources): Prompter {
  let token = src.mfaToken;
  return {
    async mfaCode(req: MfaRequest) {
      if (token) {
        const t = token;
        token = undefined;
        return t;
      }
      if (req.mfaProcess) return runMfaProcess(req.mfaProcess, src, req.profile);
      return askMfaOnTerminal(req, src.screen);
    },
    async passphrase(req) {
      if (src.passphrase) return src.passphrase;
      const hint = 'Set ROLEHOP_FILE_PASSPHRASE, run in a terminal, or use --backend keychain.';
      const wrong = req.left ? `Wrong passphrase, try again (${req.left} left). ` : '';
      const first = await ask(
        `${wrong}${req.purpose === 'create' ? 'New passphrase' : 'Passphrase'} for ${req.path}:`,
        true,
        'the vault passphrase',
        hint,
        src.screen,
      );
      if (req.purpose === 'create') {
        const again = await ask('Repeat the passphrase:', true, 'the vault passphrase', hint, src.screen);
        if (again !== first) throw new RolehopError(ErrorCodes.VAULT_PASSPHRASE, 'The two passphrases differ', { hint: 'Run the command again.' });
      }
      return first;
    },
    async text(req) {
      return ask(req.message, !!req.secret, 'input', 'Run the command in a terminal, or use the non-interactive option (see --help).', src.screen);
    },
  };
}
