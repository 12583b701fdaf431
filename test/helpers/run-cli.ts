// Runs the built CLI the way a user does (a separate node process on
// dist/cli.cjs), keeps dist/ current, and seeds moto with an identity and
// target accounts.
import { spawn, spawnSync, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (two levels above this file). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI entry point. */
export const CLI_PATH = join(REPO_ROOT, 'dist', 'cli.cjs');

/** Options for {@link runCli}. */
export interface RunCliOptions {
  /** The child's complete environment (not merged with process.env); usually `sandbox.env()`. */
  env: Record<string, string>;
  /** Written to stdin, then stdin is closed. Without it stdin is closed at once. */
  input?: string;
  /** Kill the child (SIGKILL) after this long; default 60 s. */
  timeoutMs?: number;
  /** Working directory; default the repository root. */
  cwd?: string;
  /** Script to run instead of dist/cli.cjs (for testing this helper). */
  cli?: string;
  /**
   * Called with each chunk of stdout and the running child, e.g. to signal it
   * once it has printed something, or to close the pipe early as `| head`
   * does (`child.stdout.destroy()`). What it sees is still collected.
   */
  onStdout?: (chunk: string, child: ChildProcessByStdio<Writable, Readable, Readable>) => void;
  /** Called with each chunk of stderr and the running child, e.g. to act on a prompt it printed. What it sees is still collected. */
  onStderr?: (chunk: string, child: ChildProcessByStdio<Writable, Readable, Readable>) => void;
  /** Called with the child once it is spawned, e.g. to signal it (SIGSTOP/SIGCONT) while it runs. */
  onSpawn?: (child: ChildProcess) => void;
}

/** What a CLI run produced. */
export interface CliResult {
  /** Exit code; 128+N when killed by signal N; 124 on timeout. */
  code: number;
  stdout: string;
  stderr: string;
  /** True when the run was killed for exceeding `timeoutMs`. */
  timedOut: boolean;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

/**
 * Runs `process.execPath dist/cli.cjs ...args` (so a Node 24 test run tests
 * the CLI on Node 24) and collects its output. Never rejects for a non-zero
 * exit; rejects only if the process cannot be started.
 */
export function runCli(args: string[], opts: RunCliOptions): Promise<CliResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  // The test runner marks its children with NODE_TEST_CONTEXT; a CLI that
  // inherited it would talk test protocol on stdout.
  const { NODE_TEST_CONTEXT: _ctx, ...env } = opts.env;
  return new Promise((resolve, reject) => {
    // detached: a new session without a controlling terminal, as under CI or
    // cron, so a test run from a developer's terminal never gets a prompt.
    const child = spawn(process.execPath, [opts.cli ?? CLI_PATH, ...args], {
      env,
      cwd: opts.cwd ?? REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      opts.onStdout?.(c, child);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      opts.onStderr?.(c, child);
    });
    // A CLI that exits without reading stdin makes our write fail with EPIPE; that is fine.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the whole group: the CLI and its children
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) stderr += `\n[runCli] killed after ${timeoutMs} ms: rolehop ${args.join(' ')}\n`;
      resolve({ code: timedOut ? 124 : (code ?? 128 + (SIGNALS[signal ?? ''] ?? 0)), stdout, stderr, timedOut });
    });
  });
}

let building: Promise<void> | undefined;

/**
 * Makes sure dist/cli.cjs exists and is newer than every non-test file under
 * src/ and scripts/build.mjs; otherwise bundles it (`node scripts/build.mjs`,
 * the esbuild half of `npm run build`: tests need the bundle, not the
 * declarations). Runs at most once per process; a lock file in the OS temp
 * dir keeps parallel test files from building at the same time.
 */
export function ensureBuilt(): Promise<void> {
  building ??= buildIfStale();
  return building;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  if (!existsSync(CLI_PATH)) return true;
  const built = statSync(CLI_PATH).mtimeMs;
  return Math.max(newestSource(join(REPO_ROOT, 'src')), statSync(join(REPO_ROOT, 'scripts', 'build.mjs')).mtimeMs) > built;
}

async function buildIfStale(): Promise<void> {
  if (!isStale()) return;
  const lock = join('/tmp', `rolehop-build-${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12)}.lock`);
  await acquire(lock);
  try {
    if (!isStale()) return; // another test file built it while we waited
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed (node scripts/build.mjs):\n${r.stdout}${r.stderr}`);
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

async function acquire(lock: string, waitMs = 300_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (lockHolderGone(lock)) {
      try {
        unlinkSync(lock);
      } catch {
        // Someone else removed it first.
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for build lock ${lock}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function lockHolderGone(lock: string): boolean {
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (!pid) return Date.now() - statSync(lock).mtimeMs > 5000; // being written, or junk
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH' || (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** The IAM identity made by {@link seedMotoIdentity}. */
export interface MotoIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  /** `arn:aws:iam::123456789012:mfa/<userName>`. */
  mfaSerial: string;
  /** Base32 TOTP seed of the virtual MFA device (moto accepts any code; see fake-mfa.ts to check them). */
  mfaSeed: string;
  userName: string;
  userArn: string;
  account: '123456789012';
}

/** Dummy long-lived keys: moto maps unknown AKIA keys to the default account 123456789012. */
export const MOTO_ROOT_CREDENTIALS = { accessKeyId: 'AKIAROLEHOPTESTROOT1', secretAccessKey: 'rolehop-test-root-secret-not-real-000000' } as const;

/**
 * Creates in moto's default account 123456789012 an IAM user (default
 * `alice`) with an enabled virtual MFA device and an access key. Call once
 * per user per moto state (after startMoto or reset); a second call with
 * the same name fails with EntityAlreadyExists.
 */
export async function seedMotoIdentity(motoUrl: string, opts: { userName?: string } = {}): Promise<MotoIdentity> {
  const userName = opts.userName ?? 'alice';
  const iam = await import('@aws-sdk/client-iam');
  const client = new iam.IAMClient({ endpoint: motoUrl, region: 'us-east-1', credentials: MOTO_ROOT_CREDENTIALS });
  try {
    const user = await client.send(new iam.CreateUserCommand({ UserName: userName }));
    const device = await client.send(new iam.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: userName }));
    const mfaSerial = device.VirtualMFADevice?.SerialNumber;
    if (!mfaSerial) throw new Error('moto returned no MFA serial');
    await client.send(
      new iam.EnableMFADeviceCommand({ UserName: userName, SerialNumber: mfaSerial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
    );
    const key = await client.send(new iam.CreateAccessKeyCommand({ UserName: userName }));
    if (!key.AccessKey?.AccessKeyId || !key.AccessKey.SecretAccessKey) throw new Error('moto returned no access key');
    return {
      accessKeyId: key.AccessKey.AccessKeyId,
      secretAccessKey: key.AccessKey.SecretAccessKey,
      mfaSerial,
      mfaSeed: Buffer.from(device.VirtualMFADevice?.Base32StringSeed ?? new Uint8Array()).toString('utf8'),
      userName,
      userArn: user.User?.Arn ?? `arn:aws:iam::123456789012:user/${userName}`,
      account: '123456789012',
    };
  } finally {
    client.destroy();
  }
}

/**
 * Makes 123456789012 an Organizations management account (reusing an
 * existing organization) and creates `n` member accounts with CreateAccount,
 * eight at a time. moto gives each a random 12-digit id and an
 * `OrganizationAccountAccessRole`. Returns the new ids in creation order.
 */
export async function createTargetAccounts(motoUrl: string, n: number): Promise<string[]> {
  const org = await import('@aws-sdk/client-organizations');
  const client = new org.OrganizationsClient({ endpoint: motoUrl, region: 'us-east-1', credentials: MOTO_ROOT_CREDENTIALS });
  try {
    try {
      await client.send(new org.CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    } catch (e) {
      if ((e as Error).name !== 'AlreadyInOrganizationException') throw e;
    }
    const stamp = Date.now().toString(36);
    const ids: string[] = Array.from({ length: n }, () => '');
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const i = next++;
        const name = `target-${stamp}-${i + 1}`;
        const r = await client.send(new org.CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
        let status = r.CreateAccountStatus;
        while (status?.State === 'IN_PROGRESS' && status.Id) {
          await new Promise((res) => setTimeout(res, 100));
          status = (await client.send(new org.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: status.Id }))).CreateAccountStatus;
        }
        if (status?.State !== 'SUCCEEDED' || !status.AccountId)
          throw new Error(`CreateAccount ${name} ended in ${status?.State}: ${status?.FailureReason ?? ''}`);
        ids[i] = status.AccountId;
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, n) }, worker));
    return ids;
  } finally {
    client.destroy();
  }
}
