// `rolehop run` when the run cannot start or selects nothing: the setup
// error's own code, once, instead of one failure per target; empty
// selections and mistyped regions refused with a hint.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, RolehopError } from '../../src/errors.js';
import type { Broker } from '../../src/sessions/broker-contract.js';
import { runInProcess } from './cli-harness.js';

/** A broker whose profile resolves but whose session cannot be had. */
function failingBroker(error: () => Error, counter = { calls: 0 }): Broker {
  return {
    plan: () => ({ region: 'us-east-1', endpoints: {} }) as never,
    sessionCredentials: async () => {
      counter.calls++;
      throw error();
    },
  } as unknown as Broker;
}

describe('run: setup errors and empty selections', () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'rolehop-run-setup-'));
  });
  after(async () => rm(home, { recursive: true, force: true }));

  const ids = Array.from({ length: 6 }, (_, i) => `10000000000${i}`).join(',');

  for (const [code, exit] of [
    [ErrorCodes.MFA_UNAVAILABLE, 5],
    [ErrorCodes.VAULT_PASSPHRASE, 4],
    [ErrorCodes.NO_STORED_KEY, 3],
    [ErrorCodes.AWS_ACCESS_DENIED, 6],
  ] as const) {
    it(`a source that fails with ${code} fails the run with that error (exit ${exit}), not one failure per target`, async () => {
      const counter = { calls: 0 };
      const broker = failingBroker(() => new RolehopError(code, 'the source failed', { hint: 'fix the source' }), counter);
      await assert.rejects(
        runInProcess(broker, ['true'], { accounts: ids, regions: 'us-east-1,eu-west-1' }, { rolehopHome: home }),
        (e: RolehopError) => e.code === code && e.message === 'the source failed',
      );
      // Asked once: a prompt or a passphrase is not tried again per target.
      assert.equal(counter.calls, 1);
    });
  }

  it('an empty selection is an error with a hint about the glob', async () => {
    const file = join(home, 'named.txt');
    await writeFile(file, '100000000001 acct-01\n100000000002 acct-02\n');
    const broker = failingBroker(() => new Error('not used'));
    await assert.rejects(runInProcess(broker, ['true'], { accountsFile: file, name: 'acct-0[12]' }, { rolehopHome: home }), (e: RolehopError) => {
      assert.equal(e.code, ErrorCodes.USAGE);
      assert.match(e.message, /No accounts selected/);
      assert.match(e.hint ?? '', /\* and \?/);
      return true;
    });
  });

  it('a mistyped region is refused with a suggestion', async () => {
    const broker = failingBroker(() => new Error('not used'));
    await assert.rejects(
      runInProcess(broker, ['true'], { accounts: ids, regions: 'eu-wes-1' }, { rolehopHome: home }),
      (e: RolehopError) => e.code === ErrorCodes.USAGE && /eu-wes-1/.test(e.message) && /eu-west-1/.test(e.hint ?? ''),
    );
  });

  it('says "1 account × 1 region" in the selection summary', async () => {
    const broker = failingBroker(() => new Error('not used'));
    const r = await runInProcess(broker, [], { accounts: '100000000001', regions: 'us-east-1' }, { rolehopHome: home });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^1 account × 1 region \(us-east-1\) = 1 target, role /m);
  });

  it('without --profile and no [default] profile, the hint names --profile', async () => {
    const broker = {
      plan: (p: string) => {
        throw new RolehopError(ErrorCodes.PROFILE_NOT_FOUND, `Profile "${p}" not found in /x/config`, { hint: `Add [profile ${p}] to /x/config.` });
      },
    } as unknown as Broker;
    await assert.rejects(runInProcess(broker, ['true'], { accounts: ids }, { rolehopHome: home }), (e: RolehopError) => {
      assert.equal(e.code, ErrorCodes.PROFILE_NOT_FOUND);
      assert.match(e.hint ?? '', /--profile/);
      assert.match(e.hint ?? '', /AWS_PROFILE/);
      return true;
    });
  });
});
