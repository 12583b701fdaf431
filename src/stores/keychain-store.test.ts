import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRolehopError } from '../errors.js';
import { KeychainStore, keychainServiceFor, type KeyringEntryFactory } from './keychain-store.js';

function fakeKeyring(): { factory: () => Promise<KeyringEntryFactory>; data: Map<string, string> } {
  const data = new Map<string, string>();
  const factory: KeyringEntryFactory = (service, account) => {
    const k = `${service}\0${account}`;
    return {
      setPassword: async (v) => void data.set(k, v),
      getPassword: async () => data.get(k) ?? null,
      deletePassword: async () => data.delete(k),
    };
  };
  return { factory: async () => factory, data };
}

describe(KeychainStore.name, () => {
  it('maps get/set/delete onto entries of its service', async () => {
    const fake = fakeKeyring();
    const s = new KeychainStore({ service: 'rolehop:test', entryFactory: fake.factory });
    assert.equal(await s.get('a'), undefined);
    await s.set('a', 'secret');
    assert.equal(await s.get('a'), 'secret');
    assert.deepEqual([...fake.data.keys()], ['rolehop:test\0a']);
    assert.equal(await s.delete('a'), true);
    assert.equal(await s.delete('a'), false);
  });

  it('turns keystore failures into ERR_KEYCHAIN_UNAVAILABLE without the value', async () => {
    const broken: KeyringEntryFactory = () => ({
      setPassword: async () => {
        throw new Error('Platform failure: DBus error');
      },
      getPassword: async () => {
        throw new Error('locked');
      },
      deletePassword: async () => false,
    });
    const s = new KeychainStore({ service: 'x', entryFactory: async () => broken });
    await assert.rejects(s.set('key:p', 'TOPSECRET'), (e) => {
      assert.ok(isRolehopError(e));
      assert.equal(e.code, 'ERR_KEYCHAIN_UNAVAILABLE');
      assert.match(e.hint ?? '', /--backend file/);
      assert.equal(e.message.includes('TOPSECRET'), false);
      return true;
    });
    await assert.rejects(s.get('a'), { code: 'ERR_KEYCHAIN_UNAVAILABLE' });
  });

  it('reports a binding that cannot load, and retries loading later', async () => {
    let calls = 0;
    const s = new KeychainStore({
      service: 'x',
      entryFactory: async () => {
        calls++;
        if (calls === 1) throw new Error('cannot load native module');
        return fakeKeyring().factory();
      },
    });
    await assert.rejects(s.get('a'), { code: 'ERR_KEYCHAIN_UNAVAILABLE' });
    assert.equal(await s.get('a'), undefined);
  });

  it('times out an operation that never answers', async () => {
    const hung: KeyringEntryFactory = () => ({
      setPassword: () => new Promise(() => {}),
      getPassword: () => new Promise(() => {}),
      deletePassword: () => new Promise(() => {}),
    });
    const s = new KeychainStore({ service: 'x', entryFactory: async () => hung, timeoutMs: 50 });
    await assert.rejects(s.get('a'), { code: 'ERR_KEYCHAIN_UNAVAILABLE' });
  });

  it('reads through directRead first, and through the binding when it cannot tell', async () => {
    const fake = fakeKeyring();
    const asked: string[] = [];
    let direct: 'answer' | 'fail' = 'answer';
    const s = new KeychainStore({
      service: 'svc',
      entryFactory: fake.factory,
      directRead: async (service, account) => {
        asked.push(`${service}/${account}`);
        if (direct === 'fail') throw new Error('the item is locked or ambiguous');
        return account === 'known' ? 'from-direct' : undefined;
      },
    });
    await s.set('known', 'from-binding');
    // Writes go through the binding only.
    assert.deepEqual(asked, []);
    assert.equal(await s.get('known'), 'from-direct');
    // "No such entry" from the direct reader is the answer: the binding would find none either.
    assert.equal(await s.get('other'), undefined);
    direct = 'fail';
    assert.equal(await s.get('known'), 'from-binding');
    assert.deepEqual(asked, ['svc/known', 'svc/other', 'svc/known']);
  });

  it('a direct read that fails and a binding that fails report the binding', async () => {
    const s = new KeychainStore({
      service: 'x',
      entryFactory: async () => () => ({
        setPassword: async () => {},
        getPassword: async () => {
          throw new Error('locked');
        },
        deletePassword: async () => false,
      }),
      directRead: async () => {
        throw new Error('no answer');
      },
    });
    await assert.rejects(s.get('a'), { code: 'ERR_KEYCHAIN_UNAVAILABLE', message: /Could not read "a" from the OS keychain/ });
  });

  it('namespaces the service by rolehop home', () => {
    assert.match(keychainServiceFor('/a/.rolehop'), /^rolehop:[0-9a-f]{12}$/);
    assert.notEqual(keychainServiceFor('/a/.rolehop'), keychainServiceFor('/b/.rolehop'));
    assert.equal(keychainServiceFor('/a/.rolehop'), keychainServiceFor('/a/x/../.rolehop'));
  });
});
