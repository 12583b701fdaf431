import type { Context } from '../io/context.js';
import type { Broker } from '../sessions/broker-contract.js';
import type { SecretStore } from '../stores/contract.js';
import type { AwsConfig } from '../config/aws-config.js';

/**
 * What a command handler gets: the core Context plus the CLI's own streams and
 * the real process environment (for children). Only `cli/` sees this type.
 */
export interface CliContext extends Context {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Whether stdin/stdout/stderr are terminals. */
  readonly tty: { stdin: boolean; stdout: boolean; stderr: boolean };
  /** Writes to stdout/stderr that share the terminal with a status line (run's progress bar). */
  readonly screen: import('./terminal-writer.js').TerminalWriter;
  /** `--json` given: print machine-readable output on stdout. */
  readonly json: boolean;
  /** `--debug` given: stack traces and debug logs on stderr. */
  readonly debug: boolean;
  /** The parsed AWS config (loaded on first use). */
  config(): AwsConfig;
  /** The secret store (opened on first use; may prompt for a passphrase). */
  store(): Promise<SecretStore>;
  /** Stored long-lived keys (metadata without unlocking). */
  vault(): Promise<import('../credentials/vault-contract.js').Vault>;
  /** The session broker (created on first use). */
  broker(): Promise<Broker>;
  /** Signal that fires on Ctrl-C / SIGTERM for long-running commands. */
  readonly signal: AbortSignal;
  /** Waits for background work the command started (handing the passphrase to a starting agent); `main.ts` calls it before the process exits. Never rejects. */
  settle(): Promise<void>;
}

/**
 * A command handler: parsed positional args and options in, exit code out.
 * Handlers print results on `cli.stdout`, notices on `cli.stderr`, and throw
 * RolehopError for failures (rendered by `cli/main.ts`).
 */
export type CommandHandler<O = Record<string, unknown>> = (cli: CliContext, args: string[], options: O) => Promise<number>;

/**
 * A command's declaration: registers itself on the commander program with a
 * lazy loader for its handler, so `--help` and parsing load no heavy code.
 */
export type CommandSpec = (
  program: import('commander').Command,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command's handler has its own options type; `unknown` would not accept them
  invoke: (load: () => Promise<{ default: CommandHandler<any> }>) => (...commanderArgs: unknown[]) => Promise<void>,
) => void;
