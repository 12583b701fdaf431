import type { SecretStore, StoreKind } from './contract.js';

/**
 * A SecretStore held in this process's memory: for tests, the library and
 * runs that must not persist anything. Each instance is independent; values
 * vanish with it. Trivially safe for concurrent callers (one event loop).
 */
export class MemoryStore implements SecretStore {
  readonly kind: StoreKind = 'memory';
  readonly #values = new Map<string, string>();

  /** Optionally seeded with `initial` entries (copied). */
  constructor(initial?: Iterable<readonly [string, string]>) {
    for (const [id, value] of initial ?? []) this.#values.set(id, value);
  }

  async get(id: string): Promise<string | undefined> {
    return this.#values.get(id);
  }

  async set(id: string, value: string): Promise<void> {
    this.#values.set(id, value);
  }

  async delete(id: string): Promise<boolean> {
    return this.#values.delete(id);
  }
}
