import type { KdfSpec } from '../../../src/stores/kdf.js';

/** Deliberately weak scrypt parameters so tests stay fast. Never use outside tests. */
export const TEST_KDF: KdfSpec = { name: 'scrypt', params: { N: 2 ** 10, r: 8, p: 1 } };

/** The passphrase every test vault uses. */
export const TEST_PASSPHRASE = 'correct horse battery staple';
