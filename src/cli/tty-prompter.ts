import { ErrorCodes, RolehopError } from '../errors.js';
import type { MfaRequest, Prompter } from '../io/context.js';

/** Where MFA codes and passphrases may come from, in order. */
export interface PrompterSources {
  /** `--mfa-token`: used for the first code asked, once (codes are single-use). */
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

async function runMfaProcess(command: string, src: PrompterSources, profile: string): Promise<string> {
  const [{ runHelper }, { helperTimeoutMs, HELPER_TIMEOUT_VARIABLES }] = await Promise.all([
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
  return out.trim();
}

/**
 * The CLI's Prompter: MFA codes from `--mfa-token`, then `mfa_process`, then
 * the controlling terminal; passphrases from ROLEHOP_FILE_PASSPHRASE, then the
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
      return ask(
        `MFA code for ${req.serial} (profile ${req.profile}):`,
        false,
        'an MFA code',
        'Pass --mfa-token CODE, or set mfa_process in the profile.',
        src.screen,
      );
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
