/**
 * Reads keychain entries straight from the Secret Service over the session
 * bus (`src/hot-path/secret-service-reader.ts`), for `KeychainStoreOptions.directRead`:
 * a read through `@napi-rs/keyring` costs loading the native binding and a
 * D-Bus connection set up synchronously on the main thread for every entry,
 * a good part of a cold `export`. Entries are found under the attributes the
 * binding files them under, so both see the same entries. Any failure
 * (no bus, a locked or ambiguous item, no answer within a second) rejects,
 * and the store then reads through the binding.
 */
export function directSecretServiceRead(busAddress: string): (service: string, account: string) => Promise<string | undefined> {
  return async (service, account) => {
    const { keyringAttributes, readSecretServiceItem } = await import('../hot-path/secret-service-reader.js');
    return readSecretServiceItem({ busAddress, attributes: keyringAttributes(service, account) });
  };
}
