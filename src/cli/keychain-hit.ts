import { rolehopHomeFrom } from '../io/locations.js';
import { SecretServiceReader } from '../stores/secret-service-reader.js';

/**
 * The keychain backend's cache hit: the session cache's data key read
 * straight from the Secret Service, the final step's entry decrypted, the
 * credential_process document rendered. Resolves undefined on anything but
 * a clean hit (see `cachedCredentials`), never throws.
 */
export async function keychainCacheHit(profile: string, env: Readonly<Record<string, string | undefined>>, bus: string): Promise<string | undefined> {
  let reader: SecretServiceReader | undefined;
  try {
    // Connect first and let the event loop send the handshake: the bus and
    // the keyring answer it while node:crypto loads and the plan resolves.
    reader = SecretServiceReader.open({ busAddress: bus });
    await new Promise((r) => setImmediate(r));
    const [{ loadAwsConfig }, { readVaultIndex, vaultIndexPath }, { resolveLocations }, { cachedCredentials }, { CACHE_KEY_ID }, { keychainServiceFor }, { keyringAttributes }, { formatCredentials }] =
      await Promise.all([
        import('../config/load-config.js'),
        import('../credentials/vault-index.js'),
        import('../io/locations.js'),
        import('../sessions/cache-hit.js'),
        import('../stores/contract.js'),
        import('../stores/keychain-service.js'),
        import('../stores/secret-service-reader.js'),
        import('./output/credential-formats.js'),
      ]);
    const rolehopHome = rolehopHomeFrom(env);
    const open = reader;
    const dataKey = open.read(keyringAttributes(keychainServiceFor(rolehopHome), CACHE_KEY_ID));
    dataKey.catch(() => {});
    const locations = resolveLocations(env);
    const hit = await cachedCredentials({
      config: loadAwsConfig(env, locations.homeDir),
      profile,
      env,
      userName: locations.userName,
      rolehopHome,
      index: readVaultIndex(vaultIndexPath(rolehopHome)),
      now: Date.now(),
      dataKey: async () => {
        const v = await dataKey;
        return v ? Buffer.from(v, 'base64') : undefined;
      },
    });
    return hit ? formatCredentials('credential-process', hit.credentials, { profile }) : undefined;
  } catch {
    // Anything unexpected: the normal path knows how to say what is wrong.
    return undefined;
  } finally {
    reader?.close();
  }
}
