import { resolve } from 'node:path';

/**
 * The keystore service under which a rolehop home keeps its session copies
 * (account = profile). The absolute path itself, not a hash of it as for the
 * stored keys: the hot path derives it on every call and must not load
 * node:crypto to do so. The path is not secret, and the keystore belongs to
 * the same user as the home.
 */
export function sessionCopyService(rolehopHome: string): string {
  return `rolehop-session:${resolve(rolehopHome)}`;
}
