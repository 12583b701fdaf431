import type { PlanOptions } from '../config/plan.js';
import type { ResolvedCredentials } from '../sessions/broker-contract.js';
import { resolveLocations } from '../io/locations.js';
import { SecretServiceReader, keyringAttributes } from './secret-service-reader.js';
import { sessionCopyService } from '../stores/session-copy-service.js';

/**
 * The keychain backend's cache hit: the profile's session copy read straight
 * from the Secret Service, checked against the profile's chain as the
 * config says it is now (with `planOptions`, as the broker is asked), and
 * returned with the plan, as the broker would return it (`minTtlSeconds` as
 * the broker's; default 15 minutes). Nothing is
 * decrypted and node:crypto is never loaded. Resolves undefined on anything
 * but a clean hit (see `sessionCopyHit`); never throws.
 */
export async function keychainCacheHit(
  profile: string,
  env: Readonly<Record<string, string | undefined>>,
  bus: string,
  planOptions: PlanOptions = {},
  minTtlSeconds?: number,
): Promise<Omit<ResolvedCredentials, 'fromCache'> | undefined> {
  let reader: SecretServiceReader | undefined;
  try {
    // Connect and ask for the copy first; the socket sends it all once
    // connected, and the bus and the keyring answer while the modules below
    // load and the plan is resolved.
    const { rolehopHome, homeDir, userName } = resolveLocations(env);
    reader = SecretServiceReader.open({ busAddress: bus });
    const copy = reader.read(keyringAttributes(sessionCopyService(rolehopHome), profile));
    copy.catch(() => {});
    await new Promise((r) => setImmediate(r));
    const [{ loadAwsConfig }, { readVaultIndex, vaultIndexPath }, { sessionCopyHit }] = await Promise.all([
      import('../config/load-config.js'),
      import('../credentials/vault-index.js'),
      import('./copy-hit.js'),
    ]);
    // One more turn of the event loop: the bus has answered the search by
    // now, so the GetSecret goes out before the plan is resolved, not after.
    await new Promise((r) => setImmediate(r));
    return await sessionCopyHit({
      config: loadAwsConfig(env, homeDir),
      profile,
      planOptions,
      env,
      userName,
      index: readVaultIndex(vaultIndexPath(rolehopHome)),
      now: Date.now(),
      copy: () => copy,
      ...(minTtlSeconds !== undefined ? { minTtlSeconds } : {}),
    });
  } catch {
    // Anything unexpected: the normal path knows how to say what is wrong.
    return undefined;
  } finally {
    reader?.close();
  }
}
