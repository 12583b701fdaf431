import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, RolehopError, isRolehopError } from '../errors.js';
import { FileSnapshot, guardedUpdate, UpdateConflict } from '../io/guarded-update.js';
import { storageError } from '../io/storage-error.js';
import { silentLogger, type Logger } from '../io/context.js';
import { withLock, type LockOptions } from '../io/lock.js';
import { readRegularFileSync, RefusedFileError } from '../io/read-regular-file.js';
import type { SecretStore, StoreKind } from './contract.js';
import { DEFAULT_KDF, kdfCacheKey, type KdfSpec } from './kdf.js';
import { deriveVaultKeys, newSalt, openEnvelope, parseEnvelope, sealEntries, type VaultKeys } from './vault-format.js';

/**
 * Asks for the vault passphrase: `create` for a vault that does not exist yet
 * (the CLI asks twice). `retry` is given when the previous answer was wrong,
 * with the attempts left including this one.
 */
export type PassphraseSource = (purpose: 'unlock' | 'create', retry?: { left: number }) => Promise<string>;

/** Options of a {@link FileStore}. */
export interface FileStoreOptions {
  /** Directory holding the vault files; created 0700 on first write. */
  dir: string;
  /** Called at most once per instance while it succeeds; again after a wrong passphrase. */
  getPassphrase: PassphraseSource;
  /**
   * Answers one call may try before a wrong passphrase fails it; default 1.
   * More only where a person can type again (a terminal), never for a fixed
   * source such as ROLEHOP_FILE_PASSPHRASE, which would just repeat itself.
   */
  unlockAttempts?: number;
  /** Receives the warning when the backup had to be used. */
  logger?: Logger;
  /** KDF for a NEW vault (existing vaults keep theirs). Default {@link DEFAULT_KDF}; weaken only in tests. */
  kdf?: KdfSpec;
  /** Cross-process lock options for writes. */
  lock?: LockOptions;
  /**
   * Called once per instance, after an existing vault was opened with a
   * passphrase `getPassphrase` gave (so that passphrase is right). The CLI
   * starts the agent here (`cli/agent-autostart.ts`).
   */
  onUnlock?: () => void;
}

/** File names inside {@link FileStoreOptions.dir}. */
export const VAULT_FILE = 'secrets.enc';
export const VAULT_BACKUP_FILE = 'secrets.enc.bak';
export const VAULT_LOCK_FILE = 'secrets.lock';

// Temp names of atomic-write.ts: today's (`<pid>-<hex>`) and older ones
// (`<hex>`). Vault temps are written only under the vault lock, so one seen
// by the holder is an orphan even when its pid now names a live process
// (reuse after a reboot or in a container). A writer that merely lost the
// lock while stopped then fails cleanly at its rename, and writes nothing.
const ORPHAN_TEMP = /^\.secrets\.enc(\.bak)?\.[0-9a-f]+(-[0-9a-f]+)?\.tmp$/;

/** A vault holds a few hundred bytes per secret; this is far above any real one, and stops a misplaced huge file from being read whole. */
const MAX_VAULT_BYTES = 64 << 20;

type Loaded = { entries: Map<string, string>; keys: VaultKeys };
type Failure = { reason: 'passphrase' | 'corrupt'; detail: string; headerChecked?: boolean };

/**
 * The encrypted-file backend: every secret in one AES-256-GCM vault
 * (`secrets.enc`, format in vault-format.ts) under a passphrase-derived key.
 *
 * - The KDF runs once per instance per vault salt; the derived keys (and the
 *   passphrase, to open a backup or a vault another process just created)
 *   stay in this object's memory only.
 * - Writes are read-modify-write under `secrets.lock`, re-reading the vault
 *   inside the lock, so concurrent processes never lose each other's entries;
 *   and a write lands only if both files are still as read (else the change
 *   is re-applied to the new content), so even a writer whose lock was taken
 *   over while it was stalled cannot commit an old view.
 * - Each write lands twice, atomically: first `secrets.enc.bak`, then
 *   `secrets.enc`. A crash leaves at least one complete vault, and the backup
 *   always holds the newest content, so falling back to it loses nothing
 *   (deliberately not the "previous version": that would drop the latest
 *   write and keep deleted secrets around).
 * - Reads need no lock: renames are atomic. A damaged main file makes reads
 *   use the backup, with one warning per instance; the next write repairs it.
 *
 * Errors: ERR_VAULT_PASSPHRASE (wrong passphrase), ERR_VAULT_NO_PASSPHRASE
 * (empty one), ERR_VAULT_CORRUPT (main and backup unusable; hint names both),
 * ERR_VAULT_IO, ERR_LOCK_TIMEOUT, or whatever `getPassphrase` rejects with.
 */
export class FileStore implements SecretStore {
  readonly kind: StoreKind = 'file';
  /** The vault file. */
  readonly path: string;
  /** Its backup copy. */
  readonly backupPath: string;
  /** The lock taken by writers. */
  readonly lockPath: string;

  readonly #opts: FileStoreOptions;
  readonly #logger: Logger;
  // Cached results, not single-flights (so not SingleFlight): a settled
  // promise is kept for the instance's life, dropped only on failure or a
  // wrong passphrase, so concurrent and later callers share one prompt and KDF.
  readonly #keys = new Map<string, Promise<VaultKeys>>();
  #passphrase: Promise<string> | undefined;
  #retry: { left: number } | undefined;
  #newKeys: Promise<VaultKeys> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #warned = false;
  #unlocked = false;

  constructor(opts: FileStoreOptions) {
    this.#opts = opts;
    this.#logger = opts.logger ?? silentLogger;
    this.path = join(opts.dir, VAULT_FILE);
    this.backupPath = join(opts.dir, VAULT_BACKUP_FILE);
    this.lockPath = join(opts.dir, VAULT_LOCK_FILE);
  }

  /** Resolves undefined (without asking for a passphrase) when no vault exists yet. */
  async get(id: string): Promise<string | undefined> {
    return (await this.#load())?.entries.get(id);
  }

  async set(id: string, value: string): Promise<void> {
    await this.#mutate(true, (entries) => {
      entries.set(id, value);
      return true;
    });
  }

  async delete(id: string): Promise<boolean> {
    return this.#mutate(false, (entries) => entries.delete(id));
  }

  /**
   * Applies `change` to the current entries and writes them back if it
   * returns true. Without a vault, `create` decides between making one and
   * resolving false.
   */
  #mutate(create: boolean, change: (entries: Map<string, string>) => boolean): Promise<boolean> {
    // One write at a time per instance: our own calls queue here instead of
    // polling the cross-process lock against each other.
    const run = this.#queue.then(async () => {
      // Unlock (or prepare a new vault's keys) before taking the lock, so
      // other processes never wait for our KDF.
      const before = await this.#load();
      if (!before && !create) return false;
      if (!before) await this.#keysForNewVault();
      return withLock(this.lockPath, () => this.#update(create, change), this.#opts.lock);
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * The read-modify-write itself, under the lock. A writer that lost the
   * lock while stalled must not commit the view it read before: the
   * snapshot refuses the rename when either file changed, and the change is
   * applied again to what is there now.
   */
  #update(create: boolean, change: (entries: Map<string, string>) => boolean): Promise<boolean> {
    const attempt = async (snap: FileSnapshot): Promise<boolean> => {
      const current = await this.#load(async (p) => snap.text(p));
      if (!current && !create) return false;
      const entries = current?.entries ?? new Map<string, string>();
      if (!change(entries)) return false;
      const text = sealEntries(entries, current?.keys ?? (await this.#keysForNewVault()));
      await this.#write(text, snap);
      return true;
    };
    return guardedUpdate([this.path, this.backupPath], attempt, {
      conflict: () =>
        new RolehopError(
          ErrorCodes.VAULT_IO,
          `The file vault ${this.path} kept changing while this process updated it; nothing was lost, but this change was not saved`,
          {
            hint: 'Another process is writing the vault at the same time. Run the command again.',
          },
        ),
    }).catch((e: unknown) => {
      throw isRolehopError(e) ? e : ioError(`Cannot read the file vault ${this.path}`, this.#opts.dir, e);
    });
  }

  async #write(text: string, snap: FileSnapshot): Promise<void> {
    try {
      for (const name of await readdir(this.#opts.dir)) {
        if (ORPHAN_TEMP.test(name)) await unlink(join(this.#opts.dir, name)).catch(() => {});
      }
      await snap.write(this.backupPath, text, 0o600);
      await snap.write(this.path, text, 0o600);
    } catch (e) {
      if (e instanceof UpdateConflict) throw e;
      throw ioError(`Cannot write the file vault ${this.path}`, this.#opts.dir, e);
    }
  }

  /** {@link #loadOnce}, asking again after a wrong passphrase while attempts are left. */
  async #load(read?: (path: string) => Promise<string | undefined>): Promise<Loaded | undefined> {
    for (let left = (this.#opts.unlockAttempts ?? 1) - 1; ; left--) {
      try {
        const loaded = await this.#loadOnce(read);
        if (loaded && !this.#unlocked) {
          this.#unlocked = true;
          this.#opts.onUnlock?.();
        }
        return loaded;
      } catch (e) {
        const wrong = isRolehopError(e) && e.code === ErrorCodes.VAULT_PASSPHRASE && e.details?.path === this.path;
        if (!wrong || left <= 0) throw e;
        this.#retry = { left };
      }
    }
  }

  /** The vault's entries and keys, from the main file or else the backup; undefined when neither exists. */
  async #loadOnce(read: (path: string) => Promise<string | undefined> = (p) => this.#readOptional(p)): Promise<Loaded | undefined> {
    const main = await read(this.path);
    const mainResult = main === undefined ? undefined : await this.#open(main);
    if (mainResult && 'entries' in mainResult) return mainResult;
    const bak = await read(this.backupPath);
    if (main === undefined && bak === undefined) return undefined;
    const bakResult = bak === undefined ? undefined : await this.#open(bak);
    if (bakResult && 'entries' in bakResult) {
      if (!this.#warned) {
        this.#warned = true;
        const why = mainResult ? `it is unreadable: ${mainResult.detail}` : 'it is missing';
        this.#logger.warn(`The file vault ${this.path} cannot be used (${why}); using its backup ${this.backupPath}. The next change rewrites it.`);
      }
      return bakResult;
    }
    const refused = [mainResult, bakResult].filter((r) => r?.reason === 'passphrase');
    if (refused.length > 0) {
      // Ask again next time rather than repeating a known-bad answer.
      this.#passphrase = undefined;
      this.#keys.clear();
      // Without a header checksum (vaults written before it), damage to the salt or KDF parameters looks exactly like this.
      const sure = refused.every((r) => r?.headerChecked);
      const after = sure
        ? 'The header checksum is intact, so the file is not damaged.'
        : `If you are sure it is right, the vault may be damaged: keep copies of ${this.path} and ${this.backupPath}.`;
      throw new RolehopError(ErrorCodes.VAULT_PASSPHRASE, `Wrong passphrase for the file vault ${this.path}`, {
        hint: `Enter the passphrase the vault was created with (check ROLEHOP_FILE_PASSPHRASE if set). ${after}`,
        details: { path: this.path, backupPath: this.backupPath },
      });
    }
    const mainWhy = mainResult?.detail ?? 'missing';
    const bakWhy = bakResult?.detail ?? 'missing';
    throw new RolehopError(ErrorCodes.VAULT_CORRUPT, `The file vault and its backup are both unusable`, {
      hint: `${this.path} (${mainWhy}) and ${this.backupPath} (${bakWhy}) cannot be read. Restore either from your own backups, or move both aside and add your keys again.`,
      details: { path: this.path, backupPath: this.backupPath },
    });
  }

  async #open(raw: string): Promise<Loaded | Failure> {
    const parsed = parseEnvelope(raw);
    if (!parsed.ok) return parsed;
    const { envelope } = parsed;
    const keys = await this.#keysFor(envelope.spec, envelope.salt);
    const opened = openEnvelope(envelope, keys);
    return opened.ok ? { entries: opened.entries, keys } : opened;
  }

  #keysFor(spec: KdfSpec, salt: Buffer): Promise<VaultKeys> {
    const cacheKey = kdfCacheKey(spec, salt);
    let keys = this.#keys.get(cacheKey);
    if (!keys) {
      keys = this.#askPassphrase('unlock').then((p) => deriveVaultKeys(p, spec, salt));
      keys.catch(() => this.#keys.delete(cacheKey));
      this.#keys.set(cacheKey, keys);
    }
    return keys;
  }

  /** Keys for a vault this instance is about to create (new random salt); also cached for later opens. */
  #keysForNewVault(): Promise<VaultKeys> {
    if (!this.#newKeys) {
      const spec = this.#opts.kdf ?? DEFAULT_KDF;
      const salt = newSalt();
      const keys = this.#askPassphrase('create').then((p) => deriveVaultKeys(p, spec, salt));
      keys.catch(() => (this.#newKeys = undefined));
      this.#keys.set(kdfCacheKey(spec, salt), keys);
      this.#newKeys = keys;
    }
    return this.#newKeys;
  }

  #askPassphrase(purpose: 'unlock' | 'create'): Promise<string> {
    if (!this.#passphrase) {
      const retry = this.#retry;
      this.#retry = undefined;
      const p = (retry ? this.#opts.getPassphrase(purpose, retry) : this.#opts.getPassphrase(purpose)).then((value) => {
        if (!value) {
          throw new RolehopError(ErrorCodes.VAULT_NO_PASSPHRASE, 'The file vault passphrase is empty', {
            hint: 'Type a passphrase at the prompt, or set ROLEHOP_FILE_PASSPHRASE when no terminal is available.',
          });
        }
        return value;
      });
      p.catch(() => (this.#passphrase = undefined));
      this.#passphrase = p;
    }
    return this.#passphrase;
  }

  async #readOptional(path: string): Promise<string | undefined> {
    try {
      return readRegularFileSync(path, MAX_VAULT_BYTES);
    } catch (e) {
      throw ioError(`Cannot read the file vault ${path}${e instanceof RefusedFileError ? `: ${e.message}` : ''}`, this.#opts.dir, e);
    }
  }
}

function ioError(message: string, dir: string, cause: unknown): RolehopError {
  return storageError(message, dir, cause);
}
