import { AccountLibrary, type AccountHandle, type ForAccountOptions } from './library/for-account.js';
import type { BrokerSource } from './engine/broker-source.js';

/**
 * The package's one {@link AccountLibrary}, created here at the package edge
 * so that everything below holds its state in instances. Scripts that want
 * isolated pools and handlers create their own `new AccountLibrary()`.
 */
const packageLibrary = new AccountLibrary();

/**
 * Credentials and clients for `accountId` from the package's shared
 * {@link AccountLibrary} (see {@link AccountLibrary.forAccount}).
 *
 * @throws RolehopError ERR_USAGE for an invalid account id.
 */
export function forAccount(accountId: string, opts: ForAccountOptions): AccountHandle {
  return packageLibrary.forAccount(accountId, opts);
}

/** Sets the broker {@link forAccount} uses when none is passed; undefined goes back to a lazily created default broker. */
export function setDefaultBroker(source: BrokerSource | undefined): void {
  packageLibrary.setDefaultBroker(source);
}
