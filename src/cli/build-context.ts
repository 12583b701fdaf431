import { join } from 'node:path';
import type { AwsConfig } from '../config/aws-config.js';
import { loadAwsConfig } from '../config/load-config.js';
import { withoutRolehopSecrets } from '../credentials/child-env.js';
import type { Vault } from '../credentials/vault-contract.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { resolveLocations } from '../io/locations.js';
import { assertTrustedHome } from '../io/private-path.js';
import { systemClock, type Logger } from '../io/context.js';
import type { Broker } from '../sessions/broker-contract.js';
import { readBackendChoice } from '../stores/backend-choice.js';
import type { SecretStore, StoreKind } from '../stores/contract.js';
import type { CliContext } from './cli-context.js';
import { agentTipOnce } from './agent-tip.js';
import { autostartAgent, autostartEnabled } from './agent-autostart.js';
import { createTtyPrompter, mfaTokenOption } from './tty-prompter.js';
import { TerminalWriter } from './terminal-writer.js';
import { withoutOurSdkSetting } from './sdk-warning.js';

/** Global options every command sees. */
export interface GlobalOptions {
  json?: boolean;
  debug?: boolean;
  backend?: string;
  mfaToken?: string;
}

const BACKENDS: readonly StoreKind[] = ['file', 'keychain', 'memory'];
/** Passphrases typed at the terminal before a wrong one fails the command. */
const PASSPHRASE_ATTEMPTS = 3;

function stderrLogger(stderr: NodeJS.WritableStream, debug: boolean): Logger {
  return {
    debug: (m) => {
      if (debug) stderr.write(`rolehop: debug: ${m}\n`);
    },
    info: (m) => stderr.write(`rolehop: ${m}\n`),
    warn: (m) => stderr.write(`rolehop: warning: ${m}\n`),
  };
}

/**
 * Builds the CliContext from the real process: the one place (with
 * `main.ts`) that reads `process.env`. Heavy parts (store, broker, config)
 * are created on first use so a command pays only for what it touches.
 */
export function buildCliContext(opts: GlobalOptions, signal: AbortSignal, behaviour: { agentAutostart?: boolean } = {}): CliContext {
  const env = withoutOurSdkSetting({ ...process.env });
  const { homeDir, rolehopHome, userName } = resolveLocations(env);
  // Before anything is read from it or written to it: a home another user
  // can write to is refused, like ssh's StrictModes.
  assertTrustedHome(rolehopHome);
  const debug = !!opts.debug;
  const logger = stderrLogger(process.stderr, debug);
  const childEnv = withoutRolehopSecrets(env);
  const fixedPassphrase = !!env.ROLEHOP_FILE_PASSPHRASE;
  const tty = { stdin: !!process.stdin.isTTY, stdout: !!process.stdout.isTTY, stderr: !!process.stderr.isTTY };
  const screen = new TerminalWriter({ stdout: process.stdout, stderr: process.stderr, tty });
  const mfaToken = mfaTokenOption(opts.mfaToken);
  const prompter = createTtyPrompter({
    screen,
    ...(mfaToken ? { mfaToken } : {}),
    ...(env.ROLEHOP_FILE_PASSPHRASE ? { passphrase: env.ROLEHOP_FILE_PASSPHRASE } : {}),
    childEnv,
    signal,
  });

  const autostart = behaviour.agentAutostart !== false && autostartEnabled(env);
  let lastPassphrase: string | undefined;
  const pending: Promise<void>[] = [];

  const requested = opts.backend ?? env.ROLEHOP_BACKEND;
  if (requested !== undefined && !BACKENDS.includes(requested as StoreKind)) {
    throw new RolehopError(ErrorCodes.USAGE, `Unknown backend "${requested}"`, { hint: `Use one of: ${BACKENDS.join(', ')}.` });
  }

  let config: AwsConfig | undefined;
  let store: Promise<SecretStore> | undefined;
  let vault: Promise<Vault> | undefined;
  let broker: Promise<Broker> | undefined;

  let local: Promise<Broker> | undefined;
  // The broker without the agent: this process unlocks the vault itself.
  const localBroker = (): Promise<Broker> =>
    (local ??= (async () => {
      const [{ createBroker }, { sessionCopyMirror }] = await Promise.all([import('../sessions/broker.js'), import('../sessions/session-copy-mirror.js')]);
      const v = (await cli.vault()) as Vault & { meta?(p: string): { accessKeyId: string } | undefined };
      return createBroker({
        ctx: cli,
        // An expired Identity Center login is shown where the command runs: URL and code on stderr, the browser on a terminal.
        // Loaded only when a login must be shown: a cache hit never pays for it.
        ssoPresent: async (prompt) => (await import('./sso-presenter.js')).ssoPresenter(cli, { browser: true })(prompt),
        config: () => cli.config(),
        vault: v,
        store: () => cli.store(),
        // Ctrl-C stops a running credential_process with everything it started.
        runProcess: async (command, profile) => (await import('../credentials/from-process.js')).credentialsFromProcess(command, profile, env, { signal }),
        mirror: sessionCopyMirror({
          logger: cli.logger,
          now: () => cli.clock.now(),
          copies: async (purpose) => {
            const chosen = requested ?? readBackendChoice(rolehopHome);
            if (chosen === 'keychain') return (await cli.store()).sessionCopies;
            // Copies are kept only in a chosen keychain, but a run with
            // ROLEHOP_BACKEND=keychain may have left some in a home that uses
            // another backend. Look for them without opening (and so probing
            // and remembering) a store.
            const bus = env.DBUS_SESSION_BUS_ADDRESS;
            if (purpose === 'keep' || chosen === 'memory' || process.platform !== 'linux' || !bus) return undefined;
            const { keychainSessionCopiesIfAny } = await import('../hot-path/stray-copies.js');
            return keychainSessionCopiesIfAny(rolehopHome, bus);
          },
        }),
      });
    })());

  const cli: CliContext = {
    env,
    homeDir,
    rolehopHome,
    userName,
    clock: systemClock,
    logger,
    prompter,
    stdout: process.stdout,
    stderr: process.stderr,
    tty,
    screen,
    json: !!opts.json,
    debug,
    signal,
    async settle() {
      await Promise.all(pending);
    },
    config() {
      if (!config) {
        config = loadAwsConfig(env, homeDir);
        for (const w of config.warnings ?? []) logger.warn(w);
      }
      return config;
    },
    store() {
      store ??= import('../stores/open-store.js').then(({ openStore }) =>
        openStore({
          ...(requested ? { kind: requested as StoreKind } : {}),
          rolehopHome,
          ...(env.DBUS_SESSION_BUS_ADDRESS ? { dbusAddress: env.DBUS_SESSION_BUS_ADDRESS } : {}),
          getPassphrase: async (purpose: 'unlock' | 'create', retry?: { left: number }) => {
            const answer = await prompter.passphrase({ purpose, path: join(rolehopHome, 'vault'), ...(retry ? { left: retry.left } : {}) });
            if (!fixedPassphrase && purpose === 'unlock' && !autostart) agentTipOnce(rolehopHome, logger);
            lastPassphrase = answer;
            return answer;
          },
          // The passphrase just proved right: hand it to an agent so the next commands skip the KDF.
          onUnlock: () => {
            if (autostart && lastPassphrase) pending.push(autostartAgent({ env, rolehopHome, passphrase: lastPassphrase, logger }));
            lastPassphrase = undefined;
          },
          // A person at a terminal may mistype; a fixed passphrase would only fail the same way again.
          unlockAttempts: fixedPassphrase ? 1 : PASSPHRASE_ATTEMPTS,
          logger,
        }),
      );
      return store;
    },
    vault() {
      vault ??= import('../credentials/vault.js').then(({ StoreVault }) => {
        let kind: StoreKind = (requested as StoreKind | undefined) ?? 'file';
        return new StoreVault(
          rolehopHome,
          async () => {
            const s = await cli.store();
            kind = s.kind;
            return s;
          },
          () => kind,
        );
      });
      return vault;
    },
    broker() {
      // A running agent holds the unlocked vault and warm sessions: ask it,
      // and go on locally if it fails mid-way.
      broker ??= import('../agent/use-agent.js').then(async ({ agentBrokerFor }) => (await agentBrokerFor(cli, localBroker)) ?? localBroker());
      return broker;
    },
  };
  return cli;
}
