import { dirname, join } from 'node:path';
import { ErrorCodes, RolehopError } from '../errors.js';
import { guardedUpdate } from '../io/guarded-update.js';
import { storageError } from '../io/storage-error.js';
import { withLock } from '../io/lock.js';
import { keyId, type SecretStore, type StoreKind } from '../stores/contract.js';
import type { StoredKey } from './types.js';
import type { KeyMetadata, Vault } from './vault-contract.js';
import { readVaultIndex, vaultIndexPath, type VaultIndex } from './vault-index.js';
import { compareNames } from '../config/name-order.js';
import { PROFILE_NAME_RULE, profileNameProblem, quotedName } from '../config/profile-name.js';

/** Refuses, before anything is written, a name that could not be found again under the same key (see `profileNameProblem`). */
function assertStorableName(profile: string): void {
  const problem = profileNameProblem(profile);
  if (problem) {
    throw new RolehopError(ErrorCodes.PROFILE_INVALID, `No key can be stored for profile ${quotedName(profile)}: the name ${problem}`, {
      hint: PROFILE_NAME_RULE,
      details: { profile },
    });
  }
}

/**
 * The {@link Vault} over any SecretStore. The index
 * (`<rolehopHome>/vault-index.json`) holds only profile names, access key ids
 * and dates, so listing never needs the passphrase; secrets live in the store.
 */
export class StoreVault implements Vault {
  private readonly indexPath: string;
  private readonly lockPath: string;

  /**
   * @param rolehopHome state directory
   * @param openStore opens the store on first secret access (may prompt)
   * @param backend the store kind recorded for new entries
   */
  constructor(
    rolehopHome: string,
    private readonly openStore: () => Promise<SecretStore>,
    private readonly backend: () => StoreKind,
  ) {
    this.indexPath = vaultIndexPath(rolehopHome);
    this.lockPath = join(rolehopHome, 'locks', 'vault-index');
  }

  private readIndex(): VaultIndex {
    return readVaultIndex(this.indexPath);
  }

  /**
   * Applies `change` to the index under its lock. The write lands only if
   * the file is still as read (else `change` is applied again to what is
   * there), so a writer that stalled and lost the lock cannot drop another
   * process's entry.
   */
  private updateIndex(change: (idx: VaultIndex) => void): Promise<void> {
    return withLock(this.lockPath, () =>
      guardedUpdate(
        [this.indexPath],
        async (snap) => {
          // Read after the snapshot: a change in between is then a conflict, never lost.
          const idx = this.readIndex();
          change(idx);
          await snap.write(this.indexPath, JSON.stringify(idx, null, 2) + '\n', 0o600);
        },
        {
          conflict: () =>
            new RolehopError(ErrorCodes.VAULT_IO, `The vault index ${this.indexPath} kept changing while this process updated it; this change was not saved`, {
              hint: 'Another rolehop process is adding or removing keys at the same time. Run the command again.',
            }),
        },
      ).catch((e: unknown) => {
        throw storageError(`Cannot update the vault index ${this.indexPath}`, dirname(this.indexPath), e);
      }),
    );
  }

  list(): KeyMetadata[] {
    const idx = this.readIndex();
    return Object.entries(idx.keys)
      .map(([profile, m]) => ({ profile, ...m }))
      .sort((a, b) => compareNames(a.profile, b.profile));
  }

  has(profile: string): boolean {
    return Object.hasOwn(this.readIndex().keys, profile);
  }

  /** Non-secret metadata of one profile's key, if stored. */
  meta(profile: string): KeyMetadata | undefined {
    const m = this.readIndex().keys[profile];
    return m ? { profile, ...m } : undefined;
  }

  async get(profile: string): Promise<StoredKey> {
    const store = await this.openStore();
    const raw = await store.get(keyId(profile));
    if (!raw) {
      throw new RolehopError(ErrorCodes.NO_STORED_KEY, `No key is stored for profile "${profile}" in the ${store.kind} backend`, {
        hint: `Store one with \`rolehop add ${profile}\` (or pick the backend that holds it with --backend).`,
      });
    }
    const k = JSON.parse(raw) as StoredKey;
    return { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
  }

  async put(profile: string, key: StoredKey): Promise<void> {
    assertStorableName(profile);
    const store = await this.openStore();
    // Secret first, index second: a crash in between leaves a usable secret
    // and at worst an index entry that is missing or names the old key id.
    await store.set(keyId(profile), JSON.stringify({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }));
    await this.updateIndex((idx) => {
      idx.keys[profile] = { accessKeyId: key.accessKeyId, backend: this.backend(), addedAt: new Date().toISOString() };
    });
  }

  async remove(profile: string): Promise<boolean> {
    const known = this.has(profile);
    const store = await this.openStore();
    const removed = await store.delete(keyId(profile));
    await this.updateIndex((idx) => {
      delete idx.keys[profile];
    });
    return known || removed;
  }
}
