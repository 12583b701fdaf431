import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/**
 * The keystore service name for a rolehop home: `rolehop:<12 hex>` from a
 * hash of its absolute path, so separate homes (tests, a second identity)
 * never see each other's entries.
 */
export function keychainServiceFor(rolehopHome: string): string {
  return `rolehop:${createHash('sha256').update(resolve(rolehopHome)).digest('hex').slice(0, 12)}`;
}
