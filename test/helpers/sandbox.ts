// A throw-away HOME per test suite, so CLI runs never touch the developer's
// ~/.aws or ~/.rolehop and never inherit their AWS_* variables.
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, readFileSync, lstatSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary home directory with AWS and rolehop paths inside it. */
export interface Sandbox {
  /** The sandbox root; also `HOME`. Everything the CLI writes should land below it. */
  home: string;
  /** `ROLEHOP_HOME` (`<home>/.rolehop`, not created: the CLI must create it). */
  rolehopHome: string;
  /** `AWS_CONFIG_FILE` (`<home>/.aws/config`; `<home>/.aws` exists). */
  awsConfigFile: string;
  /** `AWS_SHARED_CREDENTIALS_FILE` (`<home>/.aws/credentials`). */
  awsCredentialsFile: string;
  /** Replaces the AWS config file with `ini`. */
  writeConfig(ini: string): void;
  /** Replaces the AWS shared credentials file with `ini`. */
  writeCredentials(ini: string): void;
  /**
   * A complete, clean environment for a child process: PATH, HOME,
   * ROLEHOP_HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, TMPDIR,
   * `ROLEHOP_BACKEND=file`, `ROLEHOP_FILE_PASSPHRASE=test-passphrase`, and
   * then `extra` (a value of `undefined` removes a key). No inherited AWS_*
   * variable. `DBUS_SESSION_BUS_ADDRESS` only with `{ dbus: true }` (needed
   * for the keychain backend).
   */
  env(extra?: Record<string, string | undefined>, opts?: { dbus?: boolean }): Record<string, string>;
  /** Absolute paths of files under the sandbox whose bytes contain `secret`. */
  grepSecret(secret: string): string[];
  /** Deletes the sandbox (kept with `ROLEHOP_KEEP_SANDBOX=1`). Safe to call twice. */
  cleanup(): Promise<void>;
}

/** True when this process has a D-Bus session (so the OS keychain can work). */
export function hasSessionBus(): boolean {
  return Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
}

const open = new Set<string>();
let exitHookInstalled = false;

/**
 * Creates a fresh sandbox under the OS temp dir (`rolehop-test-*`). A sandbox
 * not cleaned up is removed when the process exits, unless
 * `ROLEHOP_KEEP_SANDBOX=1` is set (to inspect it after a failure).
 */
export async function makeSandbox(): Promise<Sandbox> {
  const home = mkdtempSync(join(tmpdir(), 'rolehop-test-'));
  open.add(home);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      if (process.env.ROLEHOP_KEEP_SANDBOX === '1') return;
      for (const dir of open) rmSync(dir, { recursive: true, force: true });
    });
  }
  const awsDir = join(home, '.aws');
  mkdirSync(awsDir, { mode: 0o700 });
  const box: Sandbox = {
    home,
    rolehopHome: join(home, '.rolehop'),
    awsConfigFile: join(awsDir, 'config'),
    awsCredentialsFile: join(awsDir, 'credentials'),
    writeConfig(ini) {
      writeFileSync(box.awsConfigFile, ini, { mode: 0o600 });
    },
    writeCredentials(ini) {
      writeFileSync(box.awsCredentialsFile, ini, { mode: 0o600 });
    },
    env(extra = {}, opts = {}) {
      const base: Record<string, string | undefined> = {
        PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        HOME: home,
        TMPDIR: process.env.TMPDIR,
        LANG: process.env.LANG,
        ROLEHOP_HOME: box.rolehopHome,
        AWS_CONFIG_FILE: box.awsConfigFile,
        AWS_SHARED_CREDENTIALS_FILE: box.awsCredentialsFile,
        ROLEHOP_BACKEND: 'file',
        ROLEHOP_FILE_PASSPHRASE: 'test-passphrase',
        // An agent started by one test's command would answer that test's
        // later commands and outlive the sandbox by its idle timeout; the
        // tests of autostart itself (test/e2e/agent-autostart.test.ts) turn it on.
        ROLEHOP_AGENT_AUTOSTART: '0',
        DBUS_SESSION_BUS_ADDRESS: opts.dbus ? process.env.DBUS_SESSION_BUS_ADDRESS : undefined,
        ...extra,
      };
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(base)) if (v !== undefined) out[k] = v;
      return out;
    },
    grepSecret(secret) {
      if (!secret) throw new Error('grepSecret needs a non-empty string');
      const needle = Buffer.from(secret);
      const hits: string[] = [];
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const p = join(dir, name);
          const st = lstatSync(p);
          if (st.isDirectory()) walk(p);
          else if (st.isFile() && readFileSync(p).includes(needle)) hits.push(p);
        }
      };
      walk(home);
      return hits.sort();
    },
    async cleanup() {
      open.delete(home);
      if (process.env.ROLEHOP_KEEP_SANDBOX === '1') return;
      await rm(home, { recursive: true, force: true });
    },
  };
  return box;
}
