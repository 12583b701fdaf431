import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** An AES-256-GCM ciphertext with its nonce and tag, base64 encoded. */
export interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

/**
 * Encrypts `plain` under a 32-byte key, binding it to `aad` (the cache key),
 * so an entry copied under another file name does not decrypt.
 */
export function seal(key: Buffer, plain: string, aad: string): Sealed {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return { iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Decrypts a {@link Sealed}; throws when the key, aad or data do not match. */
export function unseal(key: Buffer, sealed: Sealed, aad: string): string {
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([d.update(Buffer.from(sealed.data, 'base64')), d.final()]).toString('utf8');
}
