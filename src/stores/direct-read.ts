import { createDecipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyPairKeyObjectResult } from 'node:crypto';
import type { SessionAlgorithm } from '../hot-path/secret-service-reader.js';

/** One DER TLV: tag, length (short or long form), value. */
function der(tag: number, value: Buffer): Buffer {
  const n = value.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, value]);
}

/** The value of the DER TLV at `at`, and where the next one starts. */
function readDer(buf: Buffer, at: number): { value: Buffer; next: number } {
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const bytes = len & 0x7f;
    len = 0;
    for (let i = 0; i < bytes; i++) len = (len << 8) | buf[start + i]!;
    start += bytes;
  }
  return { value: buf.subarray(start, start + len), next: start + len };
}

/**
 * The Secret Service's `dh-ietf1024-sha256-aes128-cbc-pkcs7` algorithm
 * (specification, "Transfer of Secrets"), which `@napi-rs/keyring` uses
 * too: a Diffie-Hellman exchange in the 1024-bit MODP group of RFC 2409,
 * HKDF-SHA256 (no salt, no info) of the shared secret for a 128-bit AES key,
 * and each secret AES-128-CBC with PKCS#7 padding under its own IV. So a
 * long-lived key read directly crosses the bus as encrypted as through the
 * binding. A fresh key pair per session, made as a key object:
 * `getDiffieHellman('modp2')` would check the group's primes first, about
 * 100 ms of CPU. The public values cross as big-endian bytes, so ours is
 * read out of, and the service's put into, a SubjectPublicKeyInfo.
 */
export function dhAlgorithm(): SessionAlgorithm {
  // @types/node knows no 'dh' overload; Node has taken it since 15.
  const { privateKey, publicKey } = (generateKeyPairSync as unknown as (type: 'dh', opts: { group: string }) => KeyPairKeyObjectResult)('dh', {
    group: 'modp2',
  });
  // SubjectPublicKeyInfo: SEQUENCE { AlgorithmIdentifier (with p and g), BIT STRING { 0, INTEGER y } }.
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const body = readDer(spki, 0).value;
  const algorithmEnd = readDer(body, 0).next;
  const algorithmId = body.subarray(0, algorithmEnd);
  const ours = readDer(readDer(body, algorithmEnd).value, 1).value;
  return {
    name: 'dh-ietf1024-sha256-aes128-cbc-pkcs7',
    input: { signature: 'ay', value: new Uint8Array(ours[0] === 0 ? ours.subarray(1) : ours) },
    open(output) {
      if (!(output instanceof Uint8Array) || output.length === 0 || output.length > 128) throw new Error('unexpected OpenSession output');
      const y = Buffer.from(output);
      // A DER INTEGER is signed: a leading 0 keeps a big y positive.
      const integer = der(0x02, (y[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), y]) : y);
      const theirs = createPublicKey({
        key: der(0x30, Buffer.concat([algorithmId, der(0x03, Buffer.concat([Buffer.from([0]), integer]))])),
        format: 'der',
        type: 'spki',
      });
      // The shared secret as a 128-byte big-endian number, leading zeros kept, as the services compute it.
      const raw = diffieHellman({ privateKey, publicKey: theirs });
      const shared = Buffer.alloc(128);
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
