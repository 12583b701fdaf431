import { AsyncLocalStorage } from 'node:async_hooks';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsConfig } from '../config/aws-config.js';
import { loadAwsConfig } from '../config/load-config.js';
import { StoreVault } from '../credentials/vault.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { Clock, Context, Logger, MfaRequest, Prompter } from '../io/context.js';
import type { Broker } from '../sessions/broker-contract.js';
import { createBroker } from '../sessions/broker.js';
import type { SecretStore } from '../stores/contract.js';
import { isRelevantVariable } from './protocol.js';

/** How many distinct caller environments keep a warm broker. */
const MAX_BROKERS = 16;

/** Forwards an MFA question to the caller whose request is running. */
export type AskCaller = (req: MfaRequest) => Promise<string>;

/** Inputs of {@link BrokerPool}. */
export interface BrokerPoolOptions {
  rolehopHome: string;
  /** Home directory when the caller's environment has no HOME. */
  homeDir: string;
  userName: string;
  /** The agent's own environment; a caller's relevant variables replace its relevant ones. */
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  logger: Logger;
  /** The unlocked store every broker shares. */
  store: SecretStore;
  /** The vault passphrase while the agent holds it (undefined once stopped). */
  passphrase: () => Buffer | undefined;
  /** Tests: replace the broker. */
  makeBroker?: (ctx: Context, store: SecretStore, config: () => AwsConfig) => Broker;
}

/**
 * The agent's brokers, one per caller environment (its relevant variables),
 * so an answer never depends on the agent's own start-up environment. The
 * oldest of more than {@link MAX_BROKERS} is dropped. Each broker's AWS config
 * is reloaded when the file changes (mtime, size, inode).
 *
 * The brokers cannot prompt: their MFA questions go to the caller of the
 * request that runs them ({@link forwardingPrompts}), and anything else is
 * refused.
 */
export class BrokerPool {
  readonly #opts: BrokerPoolOptions;
  readonly #brokers = new Map<string, Broker>();
  readonly #configs = new Map<string, { stamp: string; config: AwsConfig }>();
  readonly #asker = new AsyncLocalStorage<AskCaller>();
  readonly #prompter: Prompter;

  constructor(opts: BrokerPoolOptions) {
    this.#opts = opts;
    this.#prompter = forwardingPrompter(this.#asker, opts.passphrase);
  }

  /** The broker for a caller's relevant variables (created on first use). */
  brokerFor(subset: Record<string, string>): Broker {
    const key = JSON.stringify(subset);
    const held = this.#brokers.get(key);
    if (held) return held;
    const opts = this.#opts;
    const env: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(opts.env)) if (!isRelevantVariable(k)) env[k] = v;
    Object.assign(env, subset);
    const homeDir = env.HOME || opts.homeDir;
    const ctx: Context = {
      env,
      homeDir,
      rolehopHome: opts.rolehopHome,
      userName: opts.userName,
      clock: opts.clock,
      logger: opts.logger,
      prompter: this.#prompter,
    };
    const config = this.#configLoader(env, homeDir);
    const store = opts.store;
    const broker =
      opts.makeBroker?.(ctx, store, config) ??
      createBroker({
        ctx,
        config,
        vault: new StoreVault(
          opts.rolehopHome,
          async () => store,
          () => store.kind,
        ),
        store: async () => store,
      });
    if (this.#brokers.size >= MAX_BROKERS) this.#brokers.delete(this.#brokers.keys().next().value!);
    this.#brokers.set(key, broker);
    return broker;
  }

  /** Runs `fn` so that every MFA question its brokers ask goes to `ask`. */
  forwardingPrompts<T>(ask: AskCaller, fn: () => T): T {
    return this.#asker.run(ask, fn);
  }

  /** Drops every broker (their data keys and in-memory sessions) and config. */
  clear(): void {
    this.#brokers.clear();
    this.#configs.clear();
  }

  /** The config of `env`, loaded again only when its file changed. */
  #configLoader(env: Readonly<Record<string, string | undefined>>, homeDir: string): () => AwsConfig {
    return () => {
      const path = env.AWS_CONFIG_FILE || join(homeDir, '.aws', 'config');
      let stamp = 'absent';
      try {
        const st = statSync(path);
        stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
      } catch {
        // a missing file is an empty config
      }
      const key = `${homeDir}\0${path}`;
      const held = this.#configs.get(key);
      if (held && held.stamp === stamp) return held.config;
      const config = loadAwsConfig(env, homeDir);
      for (const w of config.warnings ?? []) this.#opts.logger.warn(w);
      this.#configs.set(key, { stamp, config });
      return config;
    };
  }
}

/** The brokers' prompter: MFA goes to the running request's caller, the passphrase is the agent's, text is refused. */
function forwardingPrompter(asker: AsyncLocalStorage<AskCaller>, passphrase: () => Buffer | undefined): Prompter {
  return {
    async mfaCode(req) {
      const ask = asker.getStore();
      if (!ask)
        throw new RolehopError(ErrorCodes.MFA_UNAVAILABLE, `The agent cannot ask for the MFA code of ${req.serial}`, { hint: 'Run the command again.' });
      return ask(req);
    },
    async passphrase() {
      const held = passphrase();
      if (!held) throw new RolehopError(ErrorCodes.VAULT_NO_PASSPHRASE, 'The agent has no vault passphrase');
      return held.toString('utf8');
    },
    async text() {
      throw new RolehopError(ErrorCodes.AGENT, 'The agent cannot prompt', { hint: 'Run the command with ROLEHOP_NO_AGENT=1.' });
    },
  };
}
