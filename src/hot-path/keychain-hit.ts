import { resolveLocations } from '../io/locations.js';
import { SecretServiceReader, keyringAttributes } from './secret-service-reader.js';
import { sessionCopyService } from '../stores/session-copy-service.js';

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
    // Connect and ask for the copy first; the socket sends it all once
    // connected, and the bus and the keyring answer while the modules below
    // load and the plan is resolved.
    const { rolehopHome, homeDir, userName } = resolveLocations(env);
    reader = SecretServiceReader.open({ busAddress: bus });
    const copy = reader.read(keyringAttributes(sessionCopyService(rolehopHome), profile));
    copy.catch(() => {});
    await new Promise((r) => setImmediate(r));
    const [{ loadAwsConfig }, { readVaultIndex, vaultIndexPath }, { sessionCopyHit }, { credentialProcessLine }] = await Promise.all([
      import('../config/load-config.js'),
      import('../credentials/vault-index.js'),
      import('./copy-hit.js'),
      import('../credentials/process-document.js'),
    ]);
    // One more turn of the event loop: the bus has answered the search by
    // now, so the GetSecret goes out before the plan is resolved, not after.
    await new Promise((r) => setImmediate(r));
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
