import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, RolehopError } from '../errors.js';
import { silentLogger } from '../io/context.js';
import type { Broker } from '../sessions/broker-contract.js';
import { withLocalFallback } from './fallback-broker.js';

function broker(clear: () => Promise<number>): Broker & { close(): void } {
  const no = () => Promise.reject(new Error('not used'));
  return { plan: () => assert.fail('no plan'), credentials: no, sessionCredentials: no, assumeRole: no, storedKey: no, clearSessions: clear, close() {} };
}

describe('withLocalFallback', () => {
  it('hands the call and every later one to the local broker once the agent fails as an agent', async () => {
    let remoteCalls = 0;
    let made = 0;
    const remote = broker(async () => {
      remoteCalls++;
      throw new RolehopError(ErrorCodes.AGENT, 'The rolehop agent closed the connection');
    });
    const local = broker(async () => 7);
    const b = withLocalFallback(remote, async () => (made++, local), silentLogger);
    assert.equal(await b.clearSessions(), 7);
    assert.equal(await b.clearSessions('x'), 7);
    assert.equal(remoteCalls, 1);
    assert.equal(made, 1);
  });

  it("passes the agent's answers about the profile through", async () => {
    const remote = broker(async () => {
      throw new RolehopError(ErrorCodes.PROFILE_NOT_FOUND, 'no profile');
    });
    const b = withLocalFallback(remote, async () => assert.fail('no fallback'), silentLogger);
    await assert.rejects(b.clearSessions(), (e: RolehopError) => e.code === ErrorCodes.PROFILE_NOT_FOUND);
  });
});
