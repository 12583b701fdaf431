import { Command } from 'commander';
import type { CommandSpec } from './cli-context.js';
import { specs } from './spec/index.js';

/** rolehop's version, as `--version` prints it. */
export const VERSION = '0.1.0';

/** What each command's action is built from: see {@link CommandSpec}. */
export type Invoke = Parameters<CommandSpec>[1];

/**
 * Builds the whole commander program (global options, every command of
 * `spec/index.ts`) without parsing or running anything, so the CLI, the
 * completion helper and the man page all read the same commands, flags and
 * help text. `invoke` turns a command's lazy handler loader into its action;
 * callers that never run a command can pass one that does nothing.
 */
export function buildProgram(invoke: Invoke): Command {
  const program = new Command('rolehop')
    .description('AWS credential vault, one-MFA session broker and cross-account runner')
    .version(VERSION, '-V, --version')
    .option('--json', 'machine-readable output on stdout')
    .option('--debug', 'show debug logs and stack traces on stderr')
    .option('--backend <kind>', 'secret store: keychain | file | memory (env ROLEHOP_BACKEND)')
    .option('--mfa-token <code>', 'MFA code to use instead of prompting')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const spec of specs) spec(program, invoke);
  return program;
}
