// Child process for the cross-process store tests, bundled by child.ts.
// Commands (argv):
//   set-many <dir> <prefix> <count>   FileStore.set(prefix-i) for i < count; prints "done i" after each
//   lock-count <lockPath> <counter>   increments a counter file under withLock; prints "ok <waitedMs>"
//   hold-lock <lockPath> <staleMs>    takes the lock, prints "held", then waits to be killed
//   vault-put <rolehopHome> <profile> StoreVault.put(profile) over a memory store (the index is the file under test)
//   write-paused <path> <text>        writeFileAtomic(path, text) that stops after its first byte: prints
//                                     "mid-write" with the temp file in place, finishes on SIGUSR2, prints "written"
import { readFileSync, writeFileSync } from 'node:fs';
import { writeFileAtomic } from '../../../src/io/atomic-write.js';
import { FileSnapshot } from '../../../src/io/guarded-update.js';
import { withLock } from '../../../src/io/lock.js';
import { StoreVault } from '../../../src/credentials/vault.js';
import { FileStore } from '../../../src/stores/file-store.js';
import { MemoryStore } from '../../../src/stores/memory-store.js';
import { TEST_KDF, TEST_PASSPHRASE } from './test-kdf.js';

// ROLEHOP_TEST_STOP_AFTER_READ=1: the first snapshot of a read-modify-write
// (taken under the lock) stops this process, as Ctrl-Z would right after the
// read, so a test can take the lock over deterministically at that point.
if (process.env.ROLEHOP_TEST_STOP_AFTER_READ === '1') {
  const take = FileSnapshot.take.bind(FileSnapshot);
  let first = true;
  FileSnapshot.take = async (...args: Parameters<typeof FileSnapshot.take>) => {
    const snap = await take(...args);
    if (first) {
      first = false;
      process.kill(process.pid, 'SIGSTOP');
    }
    return snap;
  };
}

async function main(): Promise<void> {
  const [cmd, a = '', b = '', c = ''] = process.argv.slice(2);
  if (cmd === 'set-many') {
    const store = new FileStore({ dir: a, getPassphrase: async () => TEST_PASSPHRASE, kdf: TEST_KDF });
    for (let i = 0; i < Number(c); i++) {
      await store.set(`${b}-${i}`, `value-${b}-${i}`);
      process.stdout.write(`done ${i}\n`);
    }
  } else if (cmd === 'lock-count') {
    const started = Date.now();
    await withLock(a, async () => {
      const n = Number(readFileSync(b, 'utf8'));
      await new Promise((r) => setTimeout(r, 5));
      writeFileSync(b, String(n + 1));
    });
    process.stdout.write(`ok ${Date.now() - started}\n`);
  } else if (cmd === 'hold-lock') {
    await withLock(
      a,
      async () => {
        process.stdout.write('held\n');
        await new Promise(() => setInterval(() => {}, 1000));
      },
      { staleMs: Number(b) },
    );
  } else if (cmd === 'vault-put') {
    const vault = new StoreVault(
      a,
      async () => new MemoryStore(),
      () => 'memory',
    );
    await vault.put(b, { accessKeyId: `AKIA${b.toUpperCase()}`, secretAccessKey: 'not-a-real-secret-0000000000' });
  } else if (cmd === 'write-paused') {
    // A signal listener does not keep the process alive; this timer does, until SIGUSR2.
    const alive = setInterval(() => {}, 1000);
    const resume = new Promise<void>((r) => process.once('SIGUSR2', () => r(clearInterval(alive))));
    async function* paused(): AsyncGenerator<Buffer> {
      yield Buffer.from(b.slice(0, 1));
      process.stdout.write('mid-write\n');
      await resume;
      yield Buffer.from(b.slice(1));
    }
    // FileHandle.writeFile takes an async iterable too: the real writer, held open between two chunks.
    await writeFileAtomic(a, paused() as unknown as Buffer);
    process.stdout.write('written\n');
  } else {
    throw new Error(`unknown command ${cmd}`);
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
