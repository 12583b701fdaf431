// Rotation through the real IAM and STS adapters on moto, below the CLI:
// long-lived key as IAM caller, and an MFA session (moto's GetSessionToken
// answers fixed credentials in 123456789012, where the user lives).
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIamPort } from '../../src/aws/iam.js';
import { createStsPort } from '../../src/aws/sts.js';
import type { StoredKey } from '../../src/credentials/types.js';
import { systemClock } from '../../src/io/context.js';
import { fileJournal } from '../../src/rotate/journal.js';
import { rotateAccessKey, type RotationDeps } from '../../src/rotate/rotate-key.js';
import { startMoto, type MotoServer } from '../helpers/moto.js';
import { seedMotoIdentity, MOTO_ROOT_CREDENTIALS, type MotoIdentity } from '../helpers/run-cli.js';

describe('rotateAccessKey against moto', () => {
  let moto: MotoServer;
  let home: string;
  let alice: MotoIdentity;
  let vault: Map<string, StoredKey>;

  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    alice = await seedMotoIdentity(moto.url);
    vault = new Map([['alice', { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey }]]);
    if (home) rmSync(home, { recursive: true, force: true });
    home = mkdtempSync(join(tmpdir(), 'rh-rotate-'));
  });

  async function listKeys(): Promise<string[]> {
    const iam = await import('@aws-sdk/client-iam');
    const c = new iam.IAMClient({ endpoint: moto.url, region: 'us-east-1', credentials: MOTO_ROOT_CREDENTIALS });
    const r = await c.send(new iam.ListAccessKeysCommand({ UserName: 'alice' }));
    c.destroy();
    return (r.AccessKeyMetadata ?? []).map((k) => k.AccessKeyId!);
  }

  function deps(mfa: boolean): RotationDeps {
    const sts = createStsPort({ endpoint: moto.url, region: 'us-east-1' });
    return {
      iam: createIamPort({ endpoint: moto.url, region: 'us-east-1' }),
      sts,
      vault: {
        get: async (p) => ({ ...vault.get(p)! }),
        put: async (p, k) => void vault.set(p, { ...k }),
      },
      iamCaller: mfa ? (k) => sts.getSessionToken(k, { serialNumber: alice.mfaSerial, tokenCode: '123456', durationSeconds: 900 }) : async (k) => k,
      clearSessions: async () => 0,
      journal: fileJournal(home, 'alice'),
      clock: systemClock,
      timing: { verify: { timeoutMs: 5000, initialDelayMs: 100, maxDelayMs: 500 }, delete: { timeoutMs: 5000, initialDelayMs: 100, maxDelayMs: 500 } },
    };
  }

  for (const mfa of [false, true]) {
    it(`rotates ${mfa ? 'with an MFA session' : 'with the long-lived key'}: one key left, the new one, same user`, async () => {
      const report = await rotateAccessKey(deps(mfa), { profile: 'alice', keyProfile: 'alice' });
      assert.equal(report.ok, true);
      assert.equal(report.oldKeyId, alice.accessKeyId);
      assert.deepEqual(await listKeys(), [report.newKeyId]);
      assert.equal(vault.get('alice')!.accessKeyId, report.newKeyId);
      const who = await createStsPort({ endpoint: moto.url }).getCallerIdentity(vault.get('alice')!);
      assert.equal(who.arn, alice.userArn);
      assert.ok(!existsSync(join(home, 'rotate', 'alice.json')), 'journal removed');
    });
  }

  it('stops at two keys, naming the other one', async () => {
    const iam = await import('@aws-sdk/client-iam');
    const c = new iam.IAMClient({ endpoint: moto.url, region: 'us-east-1', credentials: MOTO_ROOT_CREDENTIALS });
    const other = (await c.send(new iam.CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!.AccessKeyId!;
    c.destroy();
    await assert.rejects(rotateAccessKey(deps(false), { profile: 'alice', keyProfile: 'alice' }), (e: Error & { hint?: string }) => {
      assert.ok(e.hint?.includes(`aws iam delete-access-key --user-name alice --access-key-id ${other}`));
      return true;
    });
    assert.equal((await listKeys()).length, 2);
  });

  it('keeps no secret in the journal directory mid-rotation', async () => {
    const d = deps(false);
    const journalSnapshots: string[] = [];
    const journal = d.journal;
    d.journal = {
      ...journal,
      write: async (j) => {
        await journal.write(j);
        for (const f of readdirSync(join(home, 'rotate'))) if (f.endsWith('.json')) journalSnapshots.push(readFileSync(join(home, 'rotate', f), 'utf8'));
      },
    };
    const report = await rotateAccessKey(d, { profile: 'alice', keyProfile: 'alice' });
    assert.equal(journalSnapshots.length, 3);
    const newSecret = vault.get('alice')!.secretAccessKey;
    for (const s of journalSnapshots) {
      assert.ok(!s.includes(newSecret) && !s.includes(alice.secretAccessKey), 'no secret in the journal');
    }
    assert.ok(journalSnapshots[1]!.includes(report.newKeyId!));
  });
});
