import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Logger } from '../io/context.js';
import type { KeychainProbe, KeychainProbeOptions } from './keychain-probe.js';
import type { KeyringEntryFactory } from './keychain-store.js';
import { openStore, type OpenStoreOptions } from './open-store.js';

const KDF = { name: 'scrypt', params: { N: 2 ** 10, r: 8, p: 1 } } as const;

describe(openStore.name, () => {
  let home: string;
  let infos: string[];
  let probes: KeychainProbeOptions[];
  const logger: Logger = { debug() {}, info: (m) => infos.push(m), warn() {} };
  const keyring: () => Promise<KeyringEntryFactory> = async () => () => ({
    setPassword: async () => {},
    getPassword: async () => null,
    deletePassword: async () => false,
  });
  const probeSaying = (answer: KeychainProbe) => async (o: KeychainProbeOptions) => {
    probes.push(o);
    return answer;
  };
  const open = (over: Partial<OpenStoreOptions> = {}) =>
    openStore({ rolehopHome: home, getPassphrase: async () => 'pw', logger, fileKdf: KDF, keyringEntryFactory: keyring, ...over });

  beforeEach(() => {
    home = join(mkdtempSync(join(tmpdir(), 'rolehop-open-')), '.rolehop');
    infos = [];
    probes = [];
  });
  afterEach(() => rmSync(join(home, '..'), { recursive: true, force: true }));

  it('opens memory without touching the disk', async () => {
    const s = await open({ kind: 'memory', probe: probeSaying({ available: true }) });
    assert.equal(s.kind, 'memory');
    assert.equal(probes.length, 0);
    assert.throws(() => statSync(home));
  });

  it('probes once, uses the keychain when it works and remembers it', async () => {
    const s = await open({ platform: 'linux', dbusAddress: 'unix:path=/x', probe: probeSaying({ available: true }) });
    assert.equal(s.kind, 'keychain');
    assert.equal(readFileSync(join(home, 'backend'), 'utf8'), 'keychain\n');
    assert.equal(statSync(home).mode & 0o777, 0o700);
    assert.equal(statSync(join(home, 'backend')).mode & 0o777, 0o600);
    assert.equal((await open({ platform: 'linux', dbusAddress: 'unix:path=/x', probe: probeSaying({ available: true }) })).kind, 'keychain');
    assert.equal(probes.length, 1);
    assert.match(probes[0]!.service, /^rolehop:/);
  });

  it('falls back to file with a notice when the probe fails, and remembers that', async () => {
    const s = await open({ platform: 'darwin', probe: probeSaying({ available: false, reason: 'locked' }) });
    assert.equal(s.kind, 'file');
    assert.equal(infos.length, 1);
    assert.match(infos[0]!, /locked.*file vault/);
    assert.equal(readFileSync(join(home, 'backend'), 'utf8'), 'file\n');
    assert.equal((await open({ platform: 'darwin', probe: probeSaying({ available: true }) })).kind, 'file');
    assert.equal(probes.length, 1);
  });

  it('lets an explicit kind win, remembering it only when nothing is remembered yet', async () => {
    assert.equal((await open({ kind: 'file', probe: probeSaying({ available: true }) })).kind, 'file');
    assert.equal(readFileSync(join(home, 'backend'), 'utf8'), 'file\n');
    assert.equal((await open({ kind: 'keychain', platform: 'darwin' })).kind, 'keychain');
    assert.equal(readFileSync(join(home, 'backend'), 'utf8'), 'file\n');
    assert.equal(probes.length, 0);
  });

  it('re-probes when the remembered choice is unreadable', async () => {
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'backend'), 'floppy\n');
    assert.equal((await open({ platform: 'darwin', probe: probeSaying({ available: true }) })).kind, 'keychain');
    assert.equal(probes.length, 1);
  });

  it('refuses the keychain on Linux without a session bus instead of hiding stored keys', async () => {
    await assert.rejects(open({ kind: 'keychain', platform: 'linux' }), { code: 'ERR_KEYCHAIN_UNAVAILABLE' });
    assert.throws(() => statSync(join(home, 'backend')), 'a failed explicit choice is not remembered');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'backend'), 'keychain\n');
    await assert.rejects(open({ platform: 'linux' }), (e: Error & { hint?: string }) => /--backend file/.test(e.hint ?? ''));
  });

  it('with no session bus, the real probe falls back to file fast', async () => {
    const t = Date.now();
    const s = await open({ platform: 'linux' });
    assert.equal(s.kind, 'file');
    assert.ok(Date.now() - t < 2000, `took ${Date.now() - t} ms`);
    assert.match(infos[0]!, /D-Bus/);
  });
});
