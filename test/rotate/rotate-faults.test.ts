// Over 300 lines: one scenario per fault point of the rotation, sharing one fake AWS and one set of invariants; split, the invariants would be repeated.
// The rotation step machine against in-memory IAM/STS/vault with faults at
// every step. After each fault: the vault holds a key that works, IAM keeps
// at most one key the vault does not hold, and the message names it with
// the exact delete command.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, isRolehopError, type RolehopError } from '../../src/errors.js';
import { deleteKeyCommand } from '../../src/rotate/messages.js';
import type { RotationReport } from '../../src/rotate/report.js';
import { rotateAccessKey, type RotationDeps } from '../../src/rotate/rotate-key.js';
import { awsError, FakeAws, memoryJournal, type Fault } from './fake-aws.js';

const PROFILE = 'alice';
const OLD = 'AKIAOLD0000000000001';

function setup(opts: { mfa?: boolean } = {}) {
  const aws = new FakeAws();
  aws.storeInVault(PROFILE, OLD);
  const journal = memoryJournal();
  let now = 0;
  const deps = (): RotationDeps => ({
    iam: aws.iam(),
    sts: aws.sts(),
    vault: aws.vault(),
    iamCaller: async (k) => (opts.mfa ? aws.mfaSession(k) : k),
    clearSessions: () => aws.clear(),
    journal,
    clock: { now: () => now },
    sleep: async (ms) => {
      now += ms;
    },
    timing: { verify: { timeoutMs: 10_000, initialDelayMs: 500, maxDelayMs: 2000 }, delete: { timeoutMs: 5000, initialDelayMs: 500, maxDelayMs: 2000 } },
  });
  const run = () => rotateAccessKey(deps(), { profile: PROFILE, keyProfile: PROFILE });
  return { aws, journal, deps, run };
}

async function failure(p: Promise<unknown>): Promise<RolehopError & { details: { report: RotationReport } }> {
  try {
    await p;
  } catch (e) {
    assert.ok(isRolehopError(e), `not a RolehopError: ${String(e)}`);
    return e as RolehopError & { details: { report: RotationReport } };
  }
  assert.fail('expected the rotation to fail');
}

/** The invariants that must hold after any outcome. */
function assertSafe(aws: FakeAws, err?: RolehopError): void {
  const held = aws.vaultKeys.get(PROFILE);
  assert.ok(aws.works(held), `vault key ${held?.accessKeyId} must work`);
  const orphans = aws.orphans(PROFILE);
  assert.ok(orphans.length <= 1, `at most one orphan, got ${orphans.join(', ')}`);
  for (const id of orphans) {
    assert.ok(err, `orphan ${id} left without an error`);
    const text = `${err!.message} ${err!.hint ?? ''}`;
    assert.ok(text.includes(deleteKeyCommand(aws.userName, id)), `message names the command for ${id}: ${text}`);
  }
  if (err) {
    const s = JSON.stringify({ m: err.message, h: err.hint, d: err.details });
    assert.ok(!s.includes('secret-'), 'no secret in the error');
  }
}

function assertRotated(aws: FakeAws, report: RotationReport): void {
  assert.equal(report.ok, true);
  assert.deepEqual([...aws.keys.keys()], [report.newKeyId]);
  assert.equal(aws.vaultKeys.get(PROFILE)?.accessKeyId, report.newKeyId);
  assert.notEqual(report.newKeyId, OLD);
  assertSafe(aws);
}

describe('rotateAccessKey', () => {
  it('rotates: create, prove, store, prove, delete old, clear sessions', async () => {
    const { aws, journal, run } = setup();
    aws.propagationChecks = 3;
    const report = await run();
    assertRotated(aws, report);
    assert.equal(report.oldKeyId, OLD);
    assert.equal(report.userName, 'alice');
    assert.deepEqual(
      report.steps.map((s) => `${s.step}:${s.outcome}`),
      [
        'resolve-user:ok',
        'list-keys:ok',
        'create-key:ok',
        'verify-new-key:ok',
        'store-key:ok',
        'verify-stored-key:ok',
        'delete-old-key:ok',
        'clear-sessions:ok',
      ],
    );
    assert.equal(report.steps.find((s) => s.step === 'verify-new-key')?.attempts, 4, 'retried while IAM propagated');
    assert.equal(aws.sessionsCleared, 1);
    assert.equal(journal.current, undefined, 'journal removed');
    assert.deepEqual(
      journal.writes.map((w) => w.phase),
      ['creating', 'created', 'stored'],
    );
    assert.ok(!JSON.stringify(report).includes('secret-'), 'no secret in the report');
    // Order: the old key is deleted only after the stored key was proven.
    const ops = aws.calls.map((c) => c.op);
    assert.ok(ops.lastIndexOf('identity') < ops.lastIndexOf('delete'));
  });

  it('signs IAM calls with the MFA session when asked to', async () => {
    const { aws, run } = setup({ mfa: true });
    const report = await run();
    assertRotated(aws, report);
    for (const c of aws.calls.filter((c) => ['list', 'create', 'delete'].includes(c.op))) assert.match(c.caller!, /^ASIASESSION/);
  });

  it('stops at two keys and names the key to delete', async () => {
    const { aws, journal, run } = setup();
    aws.addKey('AKIAOTHER00000000002');
    const err = await failure(run());
    assert.equal(err.code, ErrorCodes.ROTATE);
    assert.match(err.message, /already has 2 access keys/);
    assert.match(err.hint!, new RegExp(deleteKeyCommand('alice', 'AKIAOTHER00000000002')));
    assert.doesNotMatch(err.hint!, new RegExp(`access-key-id ${OLD}`), 'never suggests deleting the key in use');
    assert.deepEqual(err.details.report.cleanup, [deleteKeyCommand('alice', 'AKIAOTHER00000000002')]);
    assert.equal(aws.keys.size, 2);
    assert.ok(!aws.calls.some((c) => c.op === 'create'));
    assert.equal(journal.current, undefined);
  });

  it('create fails: nothing changes', async () => {
    const { aws, journal, run } = setup();
    aws.faults = [{ op: 'create', when: 'before', action: 'throw', error: () => awsError(ErrorCodes.AWS_ACCESS_DENIED, 'AccessDenied') }];
    const err = await failure(run());
    assert.equal(err.code, ErrorCodes.AWS_ACCESS_DENIED);
    assert.match(err.message, /Nothing was changed/);
    assert.deepEqual([...aws.keys.keys()], [OLD]);
    assert.equal(journal.current, undefined);
    assertSafe(aws, err);
  });

  it('create reports an error after the key was made: the key is deleted again', async () => {
    const { aws, run } = setup();
    aws.faults = [{ op: 'create', when: 'after', action: 'throw', error: () => awsError(ErrorCodes.AWS_NETWORK, 'TimeoutError') }];
    const err = await failure(run());
    assert.equal(err.code, ErrorCodes.ROTATE);
    assert.deepEqual([...aws.keys.keys()], [OLD]);
    assertSafe(aws, err);
  });

  it('verification never succeeds: the new key is deleted, the old one kept', async () => {
    const { aws, journal, run } = setup();
    aws.propagationChecks = 1000;
    const err = await failure(run());
    assert.equal(err.code, ErrorCodes.ROTATE);
    assert.match(err.message, /was not accepted by AWS after \d+ attempt/);
    assert.match(err.message, /deleted again/);
    const verify = err.details.report.steps.find((s) => s.step === 'verify-new-key')!;
    assert.ok(verify.attempts! > 3 && verify.attempts! < 30, `bounded retries: ${verify.attempts}`);
    assert.deepEqual([...aws.keys.keys()], [OLD]);
    assert.equal(journal.current, undefined);
    assertSafe(aws, err);
  });

  it('verification never succeeds and the clean-up fails: one orphan, exact command', async () => {
    const { aws, journal, run } = setup();
    aws.propagationChecks = 1000;
    aws.faults = [{ op: 'delete', when: 'before', action: 'throw', error: () => awsError(ErrorCodes.AWS_ACCESS_DENIED, 'AccessDenied') }];
    const err = await failure(run());
    assert.equal(aws.keys.size, 2);
    assertSafe(aws, err);
    assert.equal(err.details.report.cleanup.length, 1);
    assert.equal(journal.current?.phase, 'created', 'the next run can clean up');
    // The next run deletes the orphan and rotates.
    aws.faults = [];
    aws.propagationChecks = 0;
    const report = await rotateAccessKey({ ...setupDepsFrom(aws, journal) }, { profile: PROFILE, keyProfile: PROFILE });
    assert.equal(report.resumed, true);
    assert.ok(report.steps.some((s) => s.step === 'cleanup-orphan' && s.outcome === 'ok'));
    assertRotated(aws, report);
  });

  it('store write fails: the new key is deleted, the vault keeps the old one', async () => {
    const { aws, journal, run } = setup();
    aws.faults = [{ op: 'vault.put', when: 'before', action: 'throw', error: () => new Error('disk full') }];
    const err = await failure(run());
    assert.equal(err.code, ErrorCodes.ROTATE);
    assert.match(err.message, /Could not store the new key/);
    assert.equal(aws.vaultKeys.get(PROFILE)?.accessKeyId, OLD);
    assert.deepEqual([...aws.keys.keys()], [OLD]);
    assert.equal(journal.current, undefined);
    assertSafe(aws, err);
  });

  it('store reports an error after writing: the rotation goes on', async () => {
    const { aws, run } = setup();
    aws.faults = [{ op: 'vault.put', when: 'after', action: 'throw', error: () => new Error('index write failed') }];
    const report = await run();
    assertRotated(aws, report);
  });

  it('store fails and the vault cannot be read: both keys kept, both commands given, the next run finishes', async () => {
    const { aws, journal, run, deps } = setup();
    let reads = 0;
    aws.faults = [
      { op: 'vault.put', when: 'after', action: 'throw', error: () => new Error('keychain locked') },
      { op: 'vault.get', when: 'before', action: 'throw', match: () => ++reads === 2, error: () => new Error('keychain locked') },
    ];
    const err = await failure(run());
    const newId = err.details.report.newKeyId!;
    assert.equal(aws.keys.size, 2);
    assert.ok(aws.works(aws.vaultKeys.get(PROFILE)));
    const text = `${err.message} ${err.hint}`;
    assert.ok(text.includes(deleteKeyCommand('alice', OLD)) && text.includes(deleteKeyCommand('alice', newId)));
    aws.faults = [];
    const report = await rotateAccessKey(deps(), { profile: PROFILE, keyProfile: PROFILE });
    assert.equal(report.resumed, true);
    assert.equal(report.newKeyId, newId, 'finished the interrupted rotation');
    assertRotated(aws, report);
    assert.equal(journal.current, undefined);
  });

  it('the stored key cannot be proven: the old key is put back and the new one deleted', async () => {
    const { aws, run } = setup();
    // Second identity check of the new key (the stored copy) never succeeds.
    let seen = 0;
    aws.faults = [
      {
        op: 'identity',
        when: 'before',
        action: 'throw',
        match: (id) => id!.startsWith('AKIANEW') && ++seen > 1,
        error: () => awsError(ErrorCodes.AWS_INVALID_KEY, 'InvalidClientTokenId'),
      },
    ];
    const err = await failure(run());
    assert.match(err.message, /could not be proven to work/);
    assert.equal(aws.vaultKeys.get(PROFILE)?.accessKeyId, OLD);
    assert.deepEqual([...aws.keys.keys()], [OLD]);
    assertSafe(aws, err);
  });

  it('delete of the old key fails: the new key is stored, the old one named; the next run finishes', async () => {
    const { aws, journal, run, deps } = setup();
    aws.faults = [
      { op: 'delete', when: 'before', action: 'throw', match: (id) => id === OLD, error: () => awsError(ErrorCodes.AWS_ACCESS_DENIED, 'AccessDenied') },
    ];
    const err = await failure(run());
    assert.equal(err.code, ErrorCodes.ROTATE);
    assert.match(err.message, /deleting the old key AKIAOLD0000000000001 failed/);
    assert.deepEqual(aws.orphans(PROFILE), [OLD]);
    assertSafe(aws, err);
    assert.equal(aws.sessionsCleared, 1, 'sessions are cleared anyway');
    assert.equal(journal.current?.phase, 'stored');
    aws.faults = [];
    const report = await rotateAccessKey(deps(), { profile: PROFILE, keyProfile: PROFILE });
    assert.equal(report.resumed, true);
    assertRotated(aws, report);
  });

  it('delete retries while IAM refuses the caller briefly', async () => {
    const { aws, run } = setup();
    aws.faults = [{ op: 'delete', when: 'before', action: 'throw', times: 2, error: () => awsError(ErrorCodes.AWS_INVALID_KEY, 'InvalidClientTokenId') }];
    const report = await run();
    assertRotated(aws, report);
    assert.equal(report.steps.find((s) => s.step === 'delete-old-key')?.attempts, 3);
  });

  it('a declined confirmation changes nothing', async () => {
    const { aws, deps } = setup();
    const err = await failure(rotateAccessKey({ ...deps(), confirm: async () => false }, { profile: PROFILE, keyProfile: PROFILE }));
    assert.equal(err.code, ErrorCodes.ABORTED);
    assert.deepEqual([...aws.keys.keys()], [OLD]);
  });

  it('refuses root keys', async () => {
    const { aws, deps } = setup();
    const sts = { getCallerIdentity: async () => ({ account: '1', arn: 'arn:aws:iam::123456789012:root', userId: '1' }) };
    const err = await failure(rotateAccessKey({ ...deps(), sts }, { profile: PROFILE, keyProfile: PROFILE }));
    assert.equal(err.code, ErrorCodes.ROTATE);
    assert.match(err.message, /root/);
    assert.equal(aws.keys.size, 1);
  });

  it('discards a stale journal', async () => {
    const { aws, journal, run } = setup();
    journal.current = {
      version: 1,
      profile: PROFILE,
      userName: 'alice',
      userArn: aws.arn,
      oldKeyId: 'AKIAGONE',
      newKeyId: 'AKIAGONE2',
      phase: 'stored',
      startedAt: 'x',
      updatedAt: 'x',
    };
    const report = await run();
    assert.equal(report.steps[0]?.step, 'resolve-user');
    assert.ok(report.steps.some((s) => s.step === 'resume' && s.outcome === 'skipped'));
    assertRotated(aws, report);
  });
});

/** Deps over existing state, for a second run in the same "machine". */
function setupDepsFrom(aws: FakeAws, journal: ReturnType<typeof memoryJournal>): RotationDeps {
  let now = 0;
  return {
    iam: aws.iam(),
    sts: aws.sts(),
    vault: aws.vault(),
    iamCaller: async (k) => k,
    clearSessions: () => aws.clear(),
    journal,
    clock: { now: () => now },
    sleep: async (ms) => {
      now += ms;
    },
    timing: { verify: { timeoutMs: 10_000, initialDelayMs: 500, maxDelayMs: 2000 }, delete: { timeoutMs: 5000, initialDelayMs: 500, maxDelayMs: 2000 } },
  };
}

describe('rotateAccessKey after the process was killed', () => {
  const kills: { name: string; fault: Fault; expect: 'rotated' | 'explained' }[] = [
    { name: 'during CreateAccessKey, before the key exists', fault: { op: 'create', when: 'before', action: 'hang' }, expect: 'rotated' },
    { name: 'during CreateAccessKey, after the key exists', fault: { op: 'create', when: 'after', action: 'hang' }, expect: 'explained' },
    {
      name: 'while proving the new key',
      fault: { op: 'identity', when: 'before', action: 'hang', match: (id) => id!.startsWith('AKIANEW') },
      expect: 'rotated',
    },
    { name: 'before the vault write', fault: { op: 'vault.put', when: 'before', action: 'hang' }, expect: 'rotated' },
    { name: 'right after the vault write', fault: { op: 'vault.put', when: 'after', action: 'hang' }, expect: 'rotated' },
    { name: 'while reading the stored key back', fault: { op: 'vault.get', when: 'before', action: 'hang', times: 1, match: () => true }, expect: 'rotated' },
    { name: 'before deleting the old key', fault: { op: 'delete', when: 'before', action: 'hang' }, expect: 'rotated' },
    { name: 'right after deleting the old key', fault: { op: 'delete', when: 'after', action: 'hang' }, expect: 'rotated' },
    { name: 'while clearing sessions', fault: { op: 'clear', when: 'before', action: 'hang' }, expect: 'rotated' },
  ];
  for (const k of kills) {
    it(`killed ${k.name}: the next run ${k.expect === 'rotated' ? 'finishes or cleans up and rotates' : 'explains what to delete'}`, async () => {
      const { aws, journal, deps } = setup();
      // The vault.get fault must hit the read-back, not the first read.
      if (k.fault.op === 'vault.get') {
        let n = 0;
        k.fault.match = () => ++n === 2;
        delete k.fault.times;
      }
      aws.faults = [k.fault];
      // The first run hangs forever at the fault, like a killed process.
      void rotateAccessKey(deps(), { profile: PROFILE, keyProfile: PROFILE }).catch(() => {});
      for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
      assert.ok(aws.works(aws.vaultKeys.get(PROFILE)), 'the vault holds a working key even mid-rotation');
      assert.ok(aws.keys.size <= 2);
      aws.faults = [];
      const second = rotateAccessKey(deps(), { profile: PROFILE, keyProfile: PROFILE });
      if (k.expect === 'rotated') {
        const report = await second;
        assertRotated(aws, report);
        assert.equal(journal.current, undefined);
      } else {
        const err = await failure(second);
        assert.match(err.message, /interrupted while creating a key/);
        assertSafe(aws, err);
        assert.equal(aws.orphans(PROFILE).length, 1);
      }
    });
  }
});
