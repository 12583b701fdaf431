import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import { ErrorCodes, RolehopError } from '../errors.js';
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
  /** Injected for tests: `child_process.spawn`. */
  spawn?: typeof nodeSpawn;
  /** Injected for tests: the `open` package's default export. */
  open?: (target: string, options?: { app?: { name: string | readonly string[]; arguments?: readonly string[] } }) => Promise<unknown>;
}

/** Spawns detached and resolves once the program started; ENOENT and the like reject. */
function launch(spawn: typeof nodeSpawn, command: string, args: string[]): Promise<void> {
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
      resolve();
    });
  });
}

/**
 * Opens the console sign-in URL in a browser: through the launch template
 * when one is configured (run without a shell), else with the `open`
 * package. Errors name the program, never the URL (it is a secret).
 */
export async function openUrl(url: string, opts: OpenUrlOptions = {}): Promise<void> {
  try {
    if (opts.browserCommand) {
      const { command, args } = buildLaunchCommand(opts.browserCommand, { url, profile: opts.browserProfile ?? 'default' });
      await launch(opts.spawn ?? nodeSpawn, command, args);
      return;
    }
    const open = opts.open ?? ((await import('open')).default as unknown as NonNullable<OpenUrlOptions['open']>);
    if (opts.browserProfile) {
      const { apps } = await import('open');
      await open(url, { app: { name: apps.chrome, arguments: [`--profile-directory=${opts.browserProfile}`] } });
    } else {
      await open(url);
    }
  } catch (e) {
    if ((e as { code?: string }).code === ErrorCodes.CONFIG_PARSE) throw e;
    const program = opts.browserCommand ? `"${buildLaunchCommand(opts.browserCommand, { url: '', profile: '' }).command}"` : 'the default browser';
    throw new RolehopError(ErrorCodes.CHILD_SPAWN, `Could not open ${program}`, {
      hint: 'Print the link instead with --stdout, or set ROLEHOP_BROWSER_COMMAND / browser_command.',
      cause: sanitizeCause(e, url),
    });
  }
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
 */
export async function openSignInLink(url: string, opts: SignInLinkOptions): Promise<void> {
  const page = await writeHandoffPage(opts.handoffDir, url);
  try {
    await openUrl(page.fileUrl, opts);
  } catch (e) {
    page.remove();
    throw e;
  }
  removeLater(page, opts.keepMs);
}
