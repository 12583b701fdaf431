import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Credentials } from '../credentials/types.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { reachRolehopSdkFromJobs } from './job-sdk-fallback.js';
import { commandOutcome, type CommandOutcome, type Job, type JobContext } from './types.js';

/** Default cap of captured output per stream and target. */
export const DEFAULT_MAX_CAPTURE = 1024 * 1024;

/** Replaces `{account}`, `{region}` and `{name}` in one argument. */
export function expandPlaceholders(arg: string, t: { account: string; region: string; name?: string | undefined }): string {
  return arg.replace(/\{(account|region|name)\}/g, (_m, k: 'account' | 'region' | 'name') => (k === 'name' ? (t.name ?? t.account) : t[k]));
}

/** Options of {@link commandJob}. */
export interface CommandJobOptions {
  /** Program and arguments, with placeholders. Run without a shell. */
  argv: string[];
  /** The child's environment for a target (credentials, regions, no stale variables). */
  env: (credentials: Credentials, ctx: JobContext) => Record<string, string>;
  cwd?: string;
  /** Bytes kept per stream (the rest is dropped and `truncated` set); default 1 MiB. */
  maxCapture?: number;
  /** Grace between SIGTERM and SIGKILL on abort; default 2000 ms. */
  killGraceMs?: number;
}

/**
 * A job that runs a program once per target with that account's
 * credentials in its environment and captures its output. Abort (Ctrl-C,
 * timeout) sends SIGTERM, then SIGKILL after the grace period.
 */
export function commandJob(opts: CommandJobOptions): Job<CommandOutcome> {
  const max = opts.maxCapture ?? DEFAULT_MAX_CAPTURE;
  return async (ctx) => {
    const id = await ctx.credentials();
    const creds: Credentials = {
      accessKeyId: id.accessKeyId,
      secretAccessKey: id.secretAccessKey,
      ...(id.sessionToken ? { sessionToken: id.sessionToken } : {}),
      ...(id.expiration ? { expiration: id.expiration } : {}),
      ...(id.accountId ? { accountId: id.accountId } : { accountId: ctx.account }),
    };
    const [file, ...args] = opts.argv.map((a) => expandPlaceholders(a, ctx));
    if (!file) throw new RolehopError(ErrorCodes.USAGE, 'No command given', { hint: 'Put the command after --.' });
    return new Promise<CommandOutcome>((resolve, reject) => {
      const child = spawn(file, args, { env: opts.env(creds, ctx), cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let outLen = 0;
      let errLen = 0;
      let truncated = false;
      child.stdout!.on('data', (b: Buffer) => {
        if (outLen < max) out.push(b.subarray(0, max - outLen));
        else truncated = true;
        outLen += b.length;
      });
      child.stderr!.on('data', (b: Buffer) => {
        if (errLen < max) err.push(b.subarray(0, max - errLen));
        else truncated = true;
        errLen += b.length;
      });
      let killTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? 2000);
        killTimer.unref();
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      child.once('error', (e: NodeJS.ErrnoException) => {
        ctx.signal.removeEventListener('abort', onAbort);
        reject(
          new RolehopError(ErrorCodes.CHILD_SPAWN, `Cannot run "${file}": ${e.code ?? e.message}`, { hint: 'Check the command name and PATH.', cause: e }),
        );
      });
      child.once('close', (code, signal) => {
        ctx.signal.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
        const exitCode = code ?? 128 + (signal ? ((constants.signals as Record<string, number>)[signal] ?? 0) : 0);
        resolve(
          commandOutcome({
            exitCode,
            ...(signal ? { signal } : {}),
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
            ...(truncated || outLen > max || errLen > max ? { truncated: true } : {}),
          }),
        );
      });
    });
  };
}

/** A package a job imports that resolution did not find, from Node's ERR_MODULE_NOT_FOUND message. */
function missingPackage(e: unknown): string | undefined {
  if ((e as NodeJS.ErrnoException)?.code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  return /Cannot find package '((?:@[^/']+\/)?[^/']+)/.exec((e as Error).message)?.[1];
}

/** The hint for a job that cannot be loaded: what to install where, or what to check. */
function loadHint(e: unknown, url: string, shown: string): string {
  const pkg = missingPackage(e);
  if (pkg) {
    const dir = dirname(fileURLToPath(url));
    const shipped = pkg.startsWith('@aws-sdk/') ? ' (only the @aws-sdk clients rolehop ships, sts, iam and organizations, need no install)' : '';
    return `The job imports ${pkg}, which is not installed: run \`npm i ${pkg}\` in ${dir}${shipped}.`;
  }
  return /\.[cm]?ts$/.test(shown)
    ? 'TypeScript jobs need tsx (`node --import tsx`) or Node >= 23.6; otherwise write the job as .mjs.'
    : 'Check the path and that the file is an ES module.';
}

/**
 * Loads a job module: its default export (or `job` export) must be a
 * function. The `@aws-sdk/*` packages rolehop ships are importable from it
 * without an install (see {@link reachRolehopSdkFromJobs}); a package that
 * is missing fails with ERR_USAGE and a hint naming it and the `npm i` to run.
 */
export async function loadJobModule(url: string, shown: string): Promise<Job> {
  reachRolehopSdkFromJobs();
  let mod: { default?: unknown; job?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown; job?: unknown };
  } catch (e) {
    throw new RolehopError(ErrorCodes.USAGE, `Cannot load the job file ${shown}: ${(e as Error).message}`, { cause: e, hint: loadHint(e, url, shown) });
  }
  const fn = typeof mod.default === 'function' ? mod.default : typeof mod.job === 'function' ? mod.job : undefined;
  if (!fn) throw new RolehopError(ErrorCodes.USAGE, `The job file ${shown} exports no function`, { hint: 'Export `default async function (ctx) { ... }`.' });
  return fn as Job;
}
