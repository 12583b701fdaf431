import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from './memory-store.js';

describe(MemoryStore.name, () => {
  it('gets, sets and deletes', async () => {
    const s = new MemoryStore([['seed', 'x']]);
    assert.equal(s.kind, 'memory');
    assert.equal(await s.get('seed'), 'x');
    assert.equal(await s.get('nope'), undefined);
    await s.set('a', '1');
    await s.set('a', '2');
    assert.equal(await s.get('a'), '2');
    assert.equal(await s.delete('a'), true);
    assert.equal(await s.delete('a'), false);
    assert.equal(await s.get('a'), undefined);
  });

  it('keeps instances independent', async () => {
    const a = new MemoryStore();
    await a.set('k', 'v');
    assert.equal(await new MemoryStore().get('k'), undefined);
  });
});
