import { resolveLocations } from '../io/locations.js';
import { SecretServiceReader, keyringAttributes } from '../stores/secret-service-reader.js';

/**
 * The keychain backend's cache hit: the profile's session copy read straight
 * from the Secret Service, checked against the profile's chain as the
 * config says it is now, and rendered as the credential_process line.
 * Nothing is decrypted and node:crypto is never loaded. Resolves undefined on
 * anything but a clean hit (see `sessionCopyHit`); never throws.
 */
export async function keychainCacheHit(profile: string, env: Readonly<Record<string, string | undefined>>, bus: string): Promise<string | undefined> {
  let reader: SecretServiceReader | undefined;
  try {
    // Connect first and let the event loop send the handshake: the bus and
    // the keyring answer it while the modules below load.
    reader = SecretServiceReader.open({ busAddress: bus });
    await new Promise((r) => setImmediate(r));
    const [{ loadAwsConfig }, { readVaultIndex, vaultIndexPath }, { sessionCopyHit }, { sessionCopyService }, { credentialProcessLine }] = await Promise.all([
      import('../config/load-config.js'),
      import('../credentials/vault-index.js'),
      import('../sessions/session-copy-hit.js'),
      import('../stores/session-copy-service.js'),
      import('../credentials/process-document.js'),
    ]);
    const { rolehopHome, homeDir, userName } = resolveLocations(env);
    // The search goes out now and is answered while the plan is resolved.
    const copy = reader.read(keyringAttributes(sessionCopyService(rolehopHome), profile));
    copy.catch(() => {});
    const hit = await sessionCopyHit({
      config: loadAwsConfig(env, homeDir),
      profile,
      env,
      userName,
      index: readVaultIndex(vaultIndexPath(rolehopHome)),
      now: Date.now(),
      copy: () => copy,
    });
    return hit ? credentialProcessLine(hit.credentials) : undefined;
  } catch {
    // Anything unexpected: the normal path knows how to say what is wrong.
    return undefined;
  } finally {
    reader?.close();
  }
}
