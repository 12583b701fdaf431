import { pbkdf2, scrypt } from 'node:crypto';

/**
 * How a file vault's key is derived from its passphrase. Recorded in the
 * vault header, so the defaults can grow stronger later while old vaults
 * still open with the parameters they were made with.
 */
export type KdfSpec = { name: 'scrypt'; params: { N: number; r: number; p: number } } | { name: 'pbkdf2-sha256'; params: { iterations: number } };

/**
 * Production default: scrypt N=2^17, r=8, p=1 (128 MiB, memory-hard, so GPU
 * guessing is costly). About 0.7 s on a small machine, paid once per store
 * instance. Tests pass weaker parameters explicitly; nothing else should.
 */
export const DEFAULT_KDF: KdfSpec = { name: 'scrypt', params: { N: 2 ** 17, r: 8, p: 1 } };

/** Length in bytes of the derived master key. */
export const MASTER_KEY_BYTES = 32;

// Bounds on parameters read from a file: a damaged or hostile header must
// not make us allocate gigabytes or spin for minutes before failing.
const MAX_SCRYPT_N = 2 ** 22;
const MAX_SCRYPT_R = 32;
const MAX_SCRYPT_P = 16;
const MAX_PBKDF2_ITERATIONS = 50_000_000;

/** Narrows untrusted header data to a supported {@link KdfSpec}, or returns undefined. */
export function parseKdfSpec(name: unknown, params: unknown): KdfSpec | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const p = params as Record<string, unknown>;
  if (name === 'scrypt') {
    const { N, r, p: par } = p;
    if (!isInt(N, 2, MAX_SCRYPT_N) || (N & (N - 1)) !== 0) return undefined;
    if (!isInt(r, 1, MAX_SCRYPT_R) || !isInt(par, 1, MAX_SCRYPT_P)) return undefined;
    return { name, params: { N, r, p: par } };
  }
  if (name === 'pbkdf2-sha256') {
    const { iterations } = p;
    if (!isInt(iterations, 1, MAX_PBKDF2_ITERATIONS)) return undefined;
    return { name, params: { iterations } };
  }
  return undefined;
}

/**
 * Derives the {@link MASTER_KEY_BYTES}-byte master key. Runs on libuv's
 * thread pool, so the event loop (and a held lock's refresh timer) keeps going.
 */
export function deriveMasterKey(passphrase: string, salt: Buffer, spec: KdfSpec): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, key: Buffer) => (err ? reject(err) : resolve(key));
    if (spec.name === 'scrypt') {
      const { N, r, p } = spec.params;
      // Node's default maxmem (32 MiB) is below what N=2^17, r=8 needs (128 MiB).
      const maxmem = 128 * N * r * p + 2 * 128 * r * (p + 1) + 1024 * 1024;
      scrypt(passphrase, salt, MASTER_KEY_BYTES, { N, r, p, maxmem }, done);
    } else {
      pbkdf2(passphrase, salt, spec.params.iterations, MASTER_KEY_BYTES, 'sha256', done);
    }
  });
}

/** A stable string naming a spec and salt, for caching derived keys. */
export function kdfCacheKey(spec: KdfSpec, salt: Buffer): string {
  return `${spec.name}:${JSON.stringify(spec.params)}:${salt.toString('base64')}`;
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
