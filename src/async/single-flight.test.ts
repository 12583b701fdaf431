import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SingleFlight } from './single-flight.js';

test('concurrent calls for one key share one run; other keys run on their own', async () => {
  const flights = new SingleFlight<string, number>();
  let calls = 0;
  const slow = () => new Promise<number>((r) => setTimeout(() => r(++calls), 10));
  const [a, b, c] = await Promise.all([flights.run('k', slow), flights.run('k', slow), flights.run('other', slow)]);
  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.equal(calls, 2);
  assert.equal(flights.size, 0);
});

test('a failure is shared by the waiters and not kept', async () => {
  const flights = new SingleFlight<string, number>();
  const boom = () => Promise.reject(new Error('boom'));
  await Promise.all([assert.rejects(flights.run('k', boom), /boom/), assert.rejects(flights.run('k', boom), /boom/)]);
  assert.equal(await flights.run('k', async () => 7), 7);
});

test('clear lets the next caller start afresh while the old run goes on', async () => {
  const flights = new SingleFlight<string, string>();
  let release!: (v: string) => void;
  const first = flights.run('k', () => new Promise((r) => (release = r)));
  flights.clear();
  const second = flights.run('k', async () => 'second');
  release('first');
  assert.deepEqual(await Promise.all([first, second]), ['first', 'second']);
  assert.equal(flights.has('k'), false);
});
