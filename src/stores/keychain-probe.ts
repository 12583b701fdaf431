import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Inputs of {@link probeKeychain}; the caller supplies what it read from its environment. */
export interface KeychainProbeOptions {
  /** Service name the store will use; the probe entry lives beside its entries. */
  service: string;
  /** The OS (`process.platform` in the CLI). */
  platform: NodeJS.Platform;
  /** `DBUS_SESSION_BUS_ADDRESS`, if set. Without it a Linux keystore cannot answer. */
  dbusAddress?: string;
  /** Budget for the whole round trip, process start included (default {@link DEFAULT_PROBE_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** The node binary that runs the probe; default `process.execPath`. */
  nodePath?: string;
}

/** Result of {@link probeKeychain}: `reason` is a short, non-secret explanation. */
export type KeychainProbe = { available: true } | { available: false; reason: string };

/** The probe gives up after this long: a keystore slower than that is not one to wait on. */
export const DEFAULT_PROBE_TIMEOUT_MS = 2_000;

const PROBE_ACCOUNT = 'rolehop-probe';

// Runs in a child process. `new Entry()` connects to D-Bus synchronously, on
// the calling thread: against a bus that accepts but never answers it blocks
// the event loop for good, so no in-process timeout could ever fire.
const PROBE_SCRIPT = `
const [, url, service, account, token] = process.argv;
const { Entry } = await import(url);
const entry = new Entry(service, account, { linux: { store: 'secret-service' } });
entry.setPassword(token);
const back = entry.getPassword();
entry.deletePassword();
process.stdout.write(back === token ? 'ok' : 'mismatch');
`;

/** True when the OS keystore is reached over a D-Bus session (Linux and the BSDs). */
export function needsSessionBus(platform: NodeJS.Platform): boolean {
  return platform !== 'darwin' && platform !== 'win32';
}

/**
 * Checks whether the OS keystore works here by writing, reading back and
 * deleting a throw-away entry in a child process that is killed after
 * `timeoutMs`, so it never hangs. With no session bus on Linux it answers at
 * once without starting anything. Never rejects.
 */
export async function probeKeychain(opts: KeychainProbeOptions): Promise<KeychainProbe> {
  if (needsSessionBus(opts.platform) && !opts.dbusAddress) {
    return { available: false, reason: 'no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)' };
  }
  let bindingUrl: string;
  try {
    bindingUrl = pathToFileURL(createRequire(import.meta.url).resolve('@napi-rs/keyring')).href;
  } catch {
    return { available: false, reason: 'the @napi-rs/keyring binding is not installed' };
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const token = randomBytes(8).toString('hex');
  const args = ['--input-type=module', '-e', PROBE_SCRIPT, bindingUrl, opts.service, PROBE_ACCOUNT, token];
  // Only the bus address is passed on: the child sees nothing else of ours.
  const env: Record<string, string> = opts.dbusAddress ? { DBUS_SESSION_BUS_ADDRESS: opts.dbusAddress } : {};
  return new Promise((resolve) => {
    execFile(opts.nodePath ?? process.execPath, args, { env, timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (!err && stdout === 'ok') return resolve({ available: true });
      if (err?.killed) return resolve({ available: false, reason: `no answer within ${timeoutMs} ms` });
      resolve({ available: false, reason: firstLine(stderr) ?? (stdout === 'mismatch' ? 'the keystore returned a different value' : 'the probe failed') });
    });
  });
}

/** The most telling line of a child's stderr (the thrown error), without stack frames. */
function firstLine(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim());
  const error = lines.find((l) => /^(Error|\[Error)/.test(l)) ?? lines.find((l) => l && !l.startsWith('at ') && !/^file:|^node:|^\^/.test(l));
  return error?.slice(0, 200);
}
