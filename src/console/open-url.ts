import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import { ErrorCodes, RolehopError } from '../errors.js';
import { noBrowserReason, type BrowserEnv } from './browser-available.js';
import { removeLater, writeHandoffPage } from './handoff-page.js';
import { buildLaunchCommand } from './launch-command.js';

/** How to show the sign-in URL to the user. */
export interface OpenUrlOptions {
  /** Launch template (`{url}`, `{profile}` placeholders); default: the system's default browser. */
  browserCommand?: string;
  /**
   * Browser profile / container name. With a template it fills `{profile}`;
   * without one it opens Chrome (or Chromium) with `--profile-directory=NAME`.
   */
  browserProfile?: string;
  /** The user's environment, to tell whether a browser can start at all (see {@link noBrowserReason}); default: assume it can. */
  env?: BrowserEnv;
  /** Default: `process.platform`. */
  platform?: NodeJS.Platform;
  /**
   * How long a launcher may take to fail (default {@link START_GRACE_MS}).
   * Launchers such as xdg-open exit within milliseconds once the browser has
   * the page, or non-zero when none can start; one still running after this
   * is the browser itself, running.
   */
  startGraceMs?: number;
  /** Injected for tests: `child_process.spawn`. */
  spawn?: typeof nodeSpawn;
  /** Injected for tests: the `open` package's default export. */
  open?: (target: string, options?: { app?: { name: string | readonly string[]; arguments?: readonly string[] } }) => Promise<unknown>;
}

/** See {@link OpenUrlOptions.startGraceMs}: generous for a loaded machine, short enough not to be noticed after a success. */
export const START_GRACE_MS = 3_000;

/** What a started launcher looks like: enough of a `ChildProcess` to see it exit. */
interface Started {
  exitCode: number | null;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  off?(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
}

/** Resolves when `child` exits 0 or is still running after `graceMs`; rejects when it exits otherwise first. */
function awaitStart(child: unknown, graceMs: number): Promise<void> {
  const c = child as Partial<Started> | undefined;
  if (!c || typeof c.once !== 'function') return Promise.resolve();
  const started = c as Started;
  if (started.exitCode !== null && started.exitCode !== undefined)
    return started.exitCode === 0 ? Promise.resolve() : Promise.reject(exited(started.exitCode, null));
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(exited(code, signal));
    };
    // Not unref'd: the command must not finish (and report success) before the verdict.
    const timer = setTimeout(() => {
      started.off?.('exit', onExit);
      resolve();
    }, graceMs);
    started.once('exit', onExit);
  });
}

function exited(code: number | null, signal: NodeJS.Signals | null): Error & { exitDetail: string } {
  const exitDetail = code !== null ? `exited with code ${code}` : `was killed by ${signal ?? 'a signal'}`;
  return Object.assign(new Error(exitDetail), { exitDetail });
}

/** Spawns detached and resolves once the program started; ENOENT and the like reject. */
function launch(spawn: typeof nodeSpawn, command: string, args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const opts: SpawnOptions = { stdio: 'ignore', detached: true, shell: false };
    let child;
    try {
      child = spawn(command, args, opts);
    } catch (e) {
      reject(e);
      return;
    }
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve(child);
    });
  });
}

/**
 * Opens the console sign-in URL in a browser: through the launch template
 * when one is configured (run without a shell), else with the `open`
 * package. Resolves once the browser has the URL (the launcher exited 0, or
 * still runs after the grace period); rejects with ERR_CHILD_SPAWN when the
 * program cannot start or exits non-zero first. Errors name the program,
 * never the URL (it is a secret).
 */
export async function openUrl(url: string, opts: OpenUrlOptions = {}): Promise<void> {
  const graceMs = opts.startGraceMs ?? START_GRACE_MS;
  try {
    if (opts.browserCommand) {
      const { command, args } = buildLaunchCommand(opts.browserCommand, { url, profile: opts.browserProfile ?? 'default' });
      await awaitStart(await launch(opts.spawn ?? nodeSpawn, command, args), graceMs);
      return;
    }
    const open = opts.open ?? ((await import('open')).default as unknown as NonNullable<OpenUrlOptions['open']>);
    if (opts.browserProfile) {
      const { apps } = await import('open');
      await awaitStart(await open(url, { app: { name: apps.chrome, arguments: [`--profile-directory=${opts.browserProfile}`] } }), graceMs);
    } else {
      await awaitStart(await open(url), graceMs);
    }
  } catch (e) {
    if ((e as { code?: string }).code === ErrorCodes.CONFIG_PARSE) throw e;
    const detail = (e as { exitDetail?: string }).exitDetail;
    throw cannotOpen(`${programName(opts)}${detail ? ` ${detail}` : ''}`, sanitizeCause(e, url));
  }
}

function programName(opts: OpenUrlOptions): string {
  return opts.browserCommand ? `"${buildLaunchCommand(opts.browserCommand, { url: '', profile: '' }).command}"` : 'the default browser';
}

function cannotOpen(what: string, cause?: unknown): RolehopError {
  return new RolehopError(ErrorCodes.CHILD_SPAWN, `Could not open a browser: ${what}`, {
    hint: 'Print the link instead with --stdout (it is a secret for 15 minutes), or set ROLEHOP_BROWSER_COMMAND / browser_command.',
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** Keeps the error class and code but drops messages that may quote the URL. */
function sanitizeCause(e: unknown, url: string): unknown {
  const err = e as { message?: string; code?: string };
  const message = typeof err?.message === 'string' ? err.message.split(url).join('<sign-in url>') : String(e);
  return Object.assign(new Error(message), err?.code ? { code: err.code } : {});
}

/** Options of {@link openSignInLink}. */
export interface SignInLinkOptions extends OpenUrlOptions {
  /** Private directory for hand-off pages, e.g. `$ROLEHOP_HOME/login`. */
  handoffDir: string;
  /** How long the page is kept for the browser to read it. */
  keepMs: number;
}

/**
 * Opens the console sign-in link without putting it in any argv: the
 * browser (or launch template, as `{url}`) gets the `file://` URL of a
 * private page that redirects to the link ({@link writeHandoffPage}); the
 * page is removed after `keepMs`, or at once when the browser cannot start.
 * Rejects with ERR_CHILD_SPAWN when no browser can open it: at once, before
 * any page is written, when there is certainly none (`opts.env`, see
 * {@link noBrowserReason}), else when the launcher fails ({@link openUrl}).
 */
export async function openSignInLink(url: string, opts: SignInLinkOptions): Promise<void> {
  // Checked before the page exists: a secret is not written for a browser that cannot come.
  const none = opts.browserCommand ? undefined : noBrowserReason(opts.env ?? {}, opts.platform ?? process.platform);
  if (none) throw cannotOpen(none);
  const page = await writeHandoffPage(opts.handoffDir, url);
  try {
    await openUrl(page.fileUrl, opts);
  } catch (e) {
    page.remove();
    throw e;
  }
  removeLater(page, opts.keepMs);
}
