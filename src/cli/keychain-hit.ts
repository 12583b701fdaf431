import { resolveLocations } from '../io/locations.js';
import { keyringAttributes, SecretServiceReader } from '../stores/secret-service-reader.js';

/**
 * The keychain backend's cache hit: the session cache's data key read
 * straight from the Secret Service, the final step's entry decrypted, the
 * credential_process line rendered. Resolves undefined on anything but a
 * clean hit (see `cachedCredentials`); never throws.
 */
export async function keychainCacheHit(profile: string, env: Readonly<Record<string, string | undefined>>, bus: string): Promise<string | undefined> {
  let reader: SecretServiceReader | undefined;
  try {
    // Connect first and let the event loop send the handshake: the bus and
    // the keyring answer it while the modules below load (node:crypto among
    // them; imported, not required at the top, so that they load after it).
    reader = SecretServiceReader.open({ busAddress: bus });
    await new Promise((r) => setImmediate(r));
    const [{ loadAwsConfig }, { readVaultIndex, vaultIndexPath }, { cachedCredentials }, { CACHE_KEY_ID }, { keychainServiceFor }, { credentialProcessLine }] =
      await Promise.all([
        import('../config/load-config.js'),
        import('../credentials/vault-index.js'),
        import('../sessions/cache-hit.js'),
        import('../stores/contract.js'),
        import('../stores/keychain-service.js'),
        import('../credentials/process-document.js'),
      ]);
    const locations = resolveLocations(env);
    const { rolehopHome } = locations;
    // The search goes out now and is answered while the plan is resolved.
    const dataKey = reader.read(keyringAttributes(keychainServiceFor(rolehopHome), CACHE_KEY_ID));
    dataKey.catch(() => {});
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
    return hit ? credentialProcessLine(hit.credentials) : undefined;
  } catch {
    // Anything unexpected: the normal path knows how to say what is wrong.
    return undefined;
  } finally {
    reader?.close();
  }
}
