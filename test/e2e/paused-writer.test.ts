// A writer stopped (SIGSTOP, Ctrl-Z, a suspended laptop) at a random point of
// `rolehop add` while a second `add` runs: every add that reported success
// must be in the vault and in the index afterwards. Before owners were
// recorded in locks, the second add took the lock over after 10 s and the
// resumed first one wrote back its older view, dropping the second key.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileStoreDir } from '../../src/stores/open-store.js';
import { FileStore, VAULT_LOCK_FILE } from '../../src/stores/file-store.js';
import { keyId } from '../../src/stores/contract.js';
import { ensureBuilt, runCli, type CliResult } from '../helpers/run-cli.js';
import { hasSessionBus, makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { TEST_KDF } from '../stores/helpers/test-kdf.js';

const PASSPHRASE = 'test-passphrase'; // what sandbox.env() gives the CLI
const ROUNDS = 20;
// Longer than the 10 s after which the old lock took an unrefreshed lock
// over: these rounds are the ones that lost a key before the fix.
const LONG_PAUSE_MS = 11_500;
const isLong = (round: number) => round % 7 === 3;

type PausePoint = 'after-spawn' | 'vault-lock' | 'index-lock';

function keyFor(profile: string): { id: string; secret: string } {
  const tag = profile
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .padEnd(12, 'X');
  return { id: `AKIAPAUSED${tag}`, secret: `secret-of-${profile}-not-real-0000000000` };
}

const exists = (p: string): boolean => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

/** Spins for `ms` without yielding: a pause point a few ms after an event, finer than a timer. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy on purpose
  }
}

/** Resolves once `lock` exists (held by the only writer running), or false when `child` ended first. */
async function lockAppears(lock: string, child: ChildProcess, deadline: number): Promise<boolean> {
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    if (exists(lock)) return true;
    await new Promise((r) => setImmediate(r));
  }
  return false;
}

for (const backend of ['file', 'keychain'] as const) {
  describe(`a paused vault writer (${backend} backend)`, { skip: backend === 'keychain' && !hasSessionBus() ? 'no D-Bus session bus' : false }, () => {
    let box: Sandbox;
    let env: Record<string, string>;

    before(async () => {
      await ensureBuilt();
      box = await makeSandbox();
      env = box.env({ ROLEHOP_BACKEND: backend }, { dbus: backend === 'keychain' });
      // A vault made with the tests' cheap KDF: every later open uses the
      // parameters in its header, so each CLI process unlocks in milliseconds.
      const seed = new FileStore({ dir: fileStoreDir(box.rolehopHome), getPassphrase: async () => PASSPHRASE, kdf: TEST_KDF });
      if (backend === 'file') await seed.set('filler', 'x'.repeat(2000));
    });
    after(async () => {
      // The keychain entries live in the keyring of scripts/with-keyring.sh, which goes with it.
      await box?.cleanup();
    });

    const add = (profile: string, onSpawn?: (c: ChildProcess) => void): Promise<CliResult> => {
      const k = keyFor(profile);
      return runCli(['add', profile, '--env'], {
        env: { ...env, AWS_ACCESS_KEY_ID: k.id, AWS_SECRET_ACCESS_KEY: k.secret },
        timeoutMs: 90_000,
        ...(onSpawn ? { onSpawn } : {}),
      });
    };

    it(`loses no acknowledged add over ${ROUNDS} rounds of randomised pauses`, { timeout: 240_000 }, async () => {
      const vaultLock = join(fileStoreDir(box.rolehopHome), VAULT_LOCK_FILE);
      const indexLock = join(box.rolehopHome, 'locks', 'vault-index');
      const acknowledged: string[] = [];
      const log: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // The keychain has no vault file: its one read-modify-write is the index.
        const points: PausePoint[] = backend === 'file' ? ['after-spawn', 'vault-lock', 'index-lock'] : ['after-spawn', 'index-lock'];
        const point: PausePoint = isLong(round)
          ? round % 2 || backend === 'keychain'
            ? 'index-lock'
            : 'vault-lock'
          : points[Math.floor(Math.random() * points.length)]!;
        const delayMs = point === 'after-spawn' ? Math.random() * 800 : Math.random() * 4;
        const holdMs = isLong(round) ? LONG_PAUSE_MS : 100 + Math.random() * 1400;
        let a: ChildProcess | undefined;
        const runA = add(`a${round}`, (c) => (a = c));
        if (point === 'after-spawn') await new Promise((r) => setTimeout(r, delayMs));
        else if (await lockAppears(point === 'vault-lock' ? vaultLock : indexLock, a!, Date.now() + 20_000)) spin(delayMs);
        const stopped = a!.exitCode === null && a!.signalCode === null && a!.kill('SIGSTOP');
        let runB: Promise<CliResult>;
        try {
          runB = add(`b${round}`);
          // Resume A after the hold, or as soon as B is done (it may have
          // taken A's lock over: A's write then must not undo B's).
          await Promise.race([runB, new Promise((r) => setTimeout(r, holdMs))]);
        } finally {
          if (stopped) a!.kill('SIGCONT');
        }
        const results: Array<[string, CliResult]> = [
          [`a${round}`, await runA],
          [`b${round}`, await runB],
        ];
        log.push(`round ${round}: ${point} +${delayMs.toFixed(1)} ms, stopped ${stopped}, held ${Math.round(holdMs)} ms`);
        for (const [profile, r] of results) {
          if (r.code === 0) {
            assert.match(r.stderr, /Stored key/);
            acknowledged.push(profile);
          } else {
            // Giving up is allowed, silently losing is not: a clear error, the vault exit code.
            assert.equal(r.code, 4, `${profile}: ${r.stderr}`);
            assert.match(r.stderr, /Timed out after \d+ ms waiting for the lock/);
            assert.match(r.stderr, /hint:/);
          }
        }
        const list = await runCli(['list', '--json'], { env });
        assert.equal(list.code, 0, list.stderr);
        const listed = new Set((JSON.parse(list.stdout) as { keys: Array<{ profile: string }> }).keys.map((k) => k.profile));
        const missing = acknowledged.filter((p) => !listed.has(p));
        assert.deepEqual(missing, [], `index lost acknowledged adds after ${log.at(-1)}\n${log.join('\n')}`);
      }
      if (backend === 'file') {
        const vault = new FileStore({ dir: fileStoreDir(box.rolehopHome), getPassphrase: async () => PASSPHRASE });
        for (const profile of acknowledged) {
          const stored = await vault.get(keyId(profile));
          assert.ok(stored, `the vault lost ${profile}, acknowledged as stored\n${log.join('\n')}`);
          assert.equal((JSON.parse(stored) as { secretAccessKey: string }).secretAccessKey, keyFor(profile).secret);
        }
      }
      assert.ok(acknowledged.length >= ROUNDS, `most adds should succeed: ${acknowledged.length}`);
    });
  });
}
