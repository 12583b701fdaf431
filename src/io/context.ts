/**
 * The only way code below `cli/` touches the outside world. The CLI builds one
 * from the real process; tests and the library build their own. Core code
 * never reads `process.env`, prints, prompts or exits: it asks the context.
 */

/** Where diagnostics go. Never pass secrets. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** Why an MFA code is wanted: shown to the user, never secret. */
export interface MfaRequest {
  /** MFA device ARN or hardware serial. */
  serial: string;
  /** Profile whose resolution needs the code. */
  profile: string;
  /** The profile's `mfa_process` command, if any: a source of codes. */
  mfaProcess?: string;
}

/**
 * Answers the questions core code must ask a person. Each method either
 * resolves with an answer or rejects with a RolehopError (for example
 * ERR_MFA_UNAVAILABLE when there is no terminal and no other source).
 */
export interface Prompter {
  /** A 6-digit MFA code. Called at most once per GetSessionToken/AssumeRole. */
  mfaCode(req: MfaRequest): Promise<string>;
  /**
   * The file vault passphrase. `create` asks twice (new vault). `left` is set
   * when the previous answer was wrong: the attempts left, this one included.
   */
  passphrase(req: { purpose: 'unlock' | 'create'; path: string; left?: number }): Promise<string>;
  /** A line of text (e.g. an access key id), `secret` hides the echo. */
  text(req: { message: string; secret?: boolean }): Promise<string>;
}

/** Clock, injectable so tests can move time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Everything core code may depend on from its environment. */
export interface Context {
  /** A snapshot of environment variables; never mutated. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory (for `~/.aws`). */
  readonly homeDir: string;
  /** rolehop's state directory (`ROLEHOP_HOME`, default `~/.rolehop`). */
  readonly rolehopHome: string;
  /** The local user name, used for default role session names. */
  readonly userName: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly prompter: Prompter;
}

/** A logger that drops everything (library default). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
};

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };
