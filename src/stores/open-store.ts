import { join } from 'node:path';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { Logger } from '../io/context.js';
import { directSecretServiceRead } from './direct-read.js';
import { BACKEND_CHOICE_FILE, readBackendChoice, writeBackendChoice, type PersistentKind } from './backend-choice.js';
import type { SecretStore, StoreKind } from './contract.js';
import { FileStore, type PassphraseSource } from './file-store.js';
import type { KdfSpec } from './kdf.js';
import { needsSessionBus, probeKeychain, type KeychainProbe, type KeychainProbeOptions } from './keychain-probe.js';
import { KeychainStore, keychainServiceFor, type KeyringEntryFactory } from './keychain-store.js';
import { KeychainSessionCopies } from './keychain-session-copies.js';
import { MemoryStore } from './memory-store.js';
import { sessionCopyService } from './session-copy-service.js';

/** Inputs of {@link openStore}. Everything from the environment is passed in; stores never read `process.env`. */
export interface OpenStoreOptions {
  /** An explicit backend (`--backend` / `ROLEHOP_BACKEND`); wins over the remembered one and the probe. */
  kind?: StoreKind;
  /** ROLEHOP_HOME: holds `vault/` (file backend) and the `backend` choice file. */
  rolehopHome: string;
  /** `DBUS_SESSION_BUS_ADDRESS`, if set. */
  dbusAddress?: string;
  /** The OS; default `process.platform`. */
  platform?: NodeJS.Platform;
  /** Passphrase source for the file backend (prompt or ROLEHOP_FILE_PASSPHRASE). */
  getPassphrase: PassphraseSource;
  /** Answers a wrong passphrase may be retried with in one call (file backend); default 1. */
  unlockAttempts?: number;
  /** See `FileStoreOptions.onUnlock` (file backend only). */
  onUnlock?: () => void;
  /** Receives the fallback notice (info) and the file backend's warnings. */
  logger: Logger;
  /** Keystore service name; default {@link keychainServiceFor}(rolehopHome). */
  keychainService?: string;
  /** Probe budget in ms (default 2000). */
  probeTimeoutMs?: number;
  /** KDF for a new file vault; default strong. Tests only. */
  fileKdf?: KdfSpec;
  /** Keystore probe; default {@link probeKeychain}. Tests only. */
  probe?: (opts: KeychainProbeOptions) => Promise<KeychainProbe>;
  /** Keystore entry factory; default `@napi-rs/keyring`. Tests only. */
  keyringEntryFactory?: () => Promise<KeyringEntryFactory>;
}

/** The file backend's directory inside a rolehop home. */
export function fileStoreDir(rolehopHome: string): string {
  return join(rolehopHome, 'vault');
}

/**
 * Opens the secret store. Choice, first match wins:
 * 1. `kind` when given (`memory` is never remembered; `file`/`keychain` are
 *    remembered only if nothing is yet, so a first explicit choice sticks);
 * 2. the backend remembered in `<rolehopHome>/backend`;
 * 3. a probe of the OS keystore (at most ~2 s; instant on Linux without a
 *    session bus), falling back to `file` with a notice; the result is
 *    remembered so later runs skip the probe.
 *
 * Opening does not unlock anything: the file backend asks for its passphrase
 * on first use. Rejects with ERR_KEYCHAIN_UNAVAILABLE when the keychain is
 * chosen (explicitly or remembered) on Linux with no session bus, because
 * falling back silently would hide the keys already stored there.
 */
export async function openStore(opts: OpenStoreOptions): Promise<SecretStore> {
  if (opts.kind === 'memory') return new MemoryStore();
  const platform = opts.platform ?? process.platform;
  const service = opts.keychainService ?? keychainServiceFor(opts.rolehopHome);
  const remembered = readBackendChoice(opts.rolehopHome);

  let kind: PersistentKind;
  if (opts.kind) {
    kind = opts.kind;
    if (kind === 'keychain') assertSessionBus(opts, platform);
    if (!remembered) await remember(opts, kind);
  } else if (remembered) {
    kind = remembered;
  } else {
    const probe = await (opts.probe ?? probeKeychain)({
      service,
      platform,
      ...(opts.dbusAddress ? { dbusAddress: opts.dbusAddress } : {}),
      ...(opts.probeTimeoutMs ? { timeoutMs: opts.probeTimeoutMs } : {}),
    });
    kind = probe.available ? 'keychain' : 'file';
    if (!probe.available) {
      opts.logger.info(
        `OS keychain unavailable (${probe.reason}); using the encrypted file vault in ${fileStoreDir(opts.rolehopHome)}. ` +
          `This choice is saved in ${join(opts.rolehopHome, BACKEND_CHOICE_FILE)}; pass --backend to override.`,
      );
    }
    await remember(opts, kind);
  }

  if (kind === 'file') {
    return new FileStore({
      dir: fileStoreDir(opts.rolehopHome),
      getPassphrase: opts.getPassphrase,
      ...(opts.unlockAttempts ? { unlockAttempts: opts.unlockAttempts } : {}),
      ...(opts.onUnlock ? { onUnlock: opts.onUnlock } : {}),
      logger: opts.logger,
      ...(opts.fileKdf ? { kdf: opts.fileKdf } : {}),
    });
  }
  assertSessionBus(opts, platform);
  // A faked keystore (tests) is read through its factory only.
  const direct = platform === 'linux' && opts.dbusAddress && !opts.keyringEntryFactory ? { directRead: directSecretServiceRead(opts.dbusAddress) } : {};
  const entries = opts.keyringEntryFactory ? { entryFactory: opts.keyringEntryFactory } : direct;
  return new KeychainStore({
    service,
    ...entries,
    // Only Linux has a hot path that reads copies (over D-Bus); elsewhere they would be dead weight.
    ...(platform === 'linux' ? { sessionCopies: new KeychainSessionCopies({ service: sessionCopyService(opts.rolehopHome), ...entries }) } : {}),
  });
}

/** Fails fast where the keystore cannot possibly answer, instead of letting each operation fail later. */
function assertSessionBus(opts: OpenStoreOptions, platform: NodeJS.Platform): void {
  if (!needsSessionBus(platform) || opts.dbusAddress) return;
  const why = opts.kind ? 'was requested' : `is the backend saved in ${join(opts.rolehopHome, BACKEND_CHOICE_FILE)}`;
  throw new RolehopError(ErrorCodes.KEYCHAIN_UNAVAILABLE, `The OS keychain ${why}, but there is no D-Bus session bus`, {
    hint: 'Run inside a desktop session (or `dbus-run-session` with an unlocked keyring), or use `--backend file`.',
  });
}

async function remember(opts: OpenStoreOptions, kind: PersistentKind): Promise<void> {
  try {
    await writeBackendChoice(opts.rolehopHome, kind);
  } catch (e) {
    // Only an optimisation: the next run probes again.
    opts.logger.debug(`stores/open-store: could not save the backend choice (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
