import { createDecipheriv, getDiffieHellman, hkdfSync } from 'node:crypto';
import type { SessionAlgorithm } from '../hot-path/secret-service-reader.js';

/**
 * The Secret Service's `dh-ietf1024-sha256-aes128-cbc-pkcs7` algorithm
 * (specification, "Transfer of Secrets"), which `@napi-rs/keyring` uses
 * too: a Diffie-Hellman exchange in the 1024-bit MODP group of RFC 2409,
 * HKDF-SHA256 (no salt, no info) of the shared secret for a 128-bit AES key,
 * and each secret AES-128-CBC with PKCS#7 padding under its own IV. So a
 * long-lived key read directly crosses the bus as encrypted as through the
 * binding. A fresh key pair per session.
 */
export function dhAlgorithm(): SessionAlgorithm {
  const dh = getDiffieHellman('modp2');
  dh.generateKeys();
  return {
    name: 'dh-ietf1024-sha256-aes128-cbc-pkcs7',
    input: { signature: 'ay', value: new Uint8Array(dh.getPublicKey()) },
    open(output) {
      if (!(output instanceof Uint8Array) || output.length === 0 || output.length > 128) throw new Error('unexpected OpenSession output');
      // The shared secret as a 128-byte big-endian number, leading zeros kept, as the services compute it.
      const shared = Buffer.alloc(128);
      const raw = dh.computeSecret(output);
      raw.copy(shared, 128 - raw.length);
      const key = Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), Buffer.alloc(0), 16));
      return (iv, value) => {
        const d = createDecipheriv('aes-128-cbc', key, iv);
        return Buffer.concat([d.update(value), d.final()]);
      };
    },
  };
}

/**
 * Reads keychain entries straight from the Secret Service over the session
 * bus (`src/hot-path/secret-service-reader.ts`), for `KeychainStoreOptions.directRead`:
 * a read through `@napi-rs/keyring` costs loading the native binding and a
 * D-Bus connection set up synchronously on the main thread for every entry,
 * a good part of a cold `export`. Entries are found under the attributes the
 * binding files them under, so both see the same entries, and the secret
 * crosses the bus encrypted as the binding's does ({@link dhAlgorithm}).
 * Any failure (no bus, a locked or ambiguous item, no answer within a
 * second) rejects, and the store then reads through the binding.
 */
export function directSecretServiceRead(busAddress: string): (service: string, account: string) => Promise<string | undefined> {
  return async (service, account) => {
    const { keyringAttributes, readSecretServiceItem } = await import('../hot-path/secret-service-reader.js');
    return readSecretServiceItem({ busAddress, attributes: keyringAttributes(service, account), algorithm: dhAlgorithm() });
  };
}
