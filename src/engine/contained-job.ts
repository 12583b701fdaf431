import { AsyncLocalStorage } from 'node:async_hooks';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { Job } from './types.js';

/** One run of a job on one target, as the containment tracks it. */
interface Run {
  /** `account/region`, for messages. */
  target: string;
  settled: boolean;
  fail(e: RolehopError): void;
}

/** Where an error that escaped a job was put. */
export type Attribution =
  /** It failed the target whose code raised it. */
  | { to: 'target'; target: string }
  /** It came from a target's leftover work after that target had finished. */
  | { to: 'finished-target'; target: string }
  /** No target's code raised it. */
  | { to: 'none' };

const EXIT = Symbol('rolehop.jobExit');

/**
 * Keeps each target's misbehaving job to that target. {@link wrap} runs a
 * job in an async context of its own (AsyncLocalStorage), so an error that
 * escapes it later (a rejection nobody handles, a throw in a timer or
 * callback it set up, a call to `process.exit`) can be traced to the target
 * whose code raised it and fail that target alone. The containment does not
 * touch the process itself: whoever installs the process hooks (the CLI's
 * `run`) calls {@link strayError} and {@link exitCalled}.
 */
export class JobContainment {
  readonly #current = new AsyncLocalStorage<Run>();

  /** `job`, run so that whatever escapes it is attributed to its target. */
  wrap<T>(job: Job<T>): Job<T> {
    return (ctx) =>
      new Promise<T>((resolve, reject) => {
        const run: Run = {
          target: `${ctx.account}/${ctx.region}`,
          settled: false,
          fail: (e) => {
            run.settled = true;
            reject(e);
          },
        };
        this.#current.run(run, () => {
          Promise.resolve()
            .then(() => job(ctx))
            .then(
              (v) => {
                run.settled = true;
                resolve(v);
              },
              (e: unknown) => {
                run.settled = true;
                reject(e);
              },
            );
        });
      });
  }

  /**
   * Puts an error nobody caught on the target whose code raised it: that
   * target fails with ERR_JOB_CRASH (its own message, never a stack). An
   * error made by {@link exitCalled} was put on its target already.
   */
  strayError(e: unknown): Attribution {
    if (isExit(e)) return e[EXIT];
    const message = e instanceof Error ? e.message : String(e);
    return this.#attribute(
      new RolehopError(ErrorCodes.JOB_CRASH, `The job left an error nobody caught: ${message.split('\n')[0]}`, {
        hint: 'Await every promise the job starts, and catch errors in its callbacks.',
      }),
    );
  }

  /**
   * What `process.exit(code)` throws while jobs run: it fails the calling
   * target with ERR_JOB_EXIT (even if the job catches the throw), and the
   * run goes on.
   */
  exitCalled(code: unknown): Error {
    const err = new RolehopError(ErrorCodes.JOB_EXIT, `The job called process.exit(${typeof code === 'number' ? code : ''})`, {
      hint: 'Return a value or throw an error instead: a job must not end the process.',
    });
    return Object.assign(err, { [EXIT]: this.#attribute(err) });
  }

  #attribute(err: RolehopError): Attribution {
    const run = this.#current.getStore();
    if (!run) return { to: 'none' };
    if (run.settled) return { to: 'finished-target', target: run.target };
    run.fail(err);
    return { to: 'target', target: run.target };
  }
}

function isExit(e: unknown): e is Error & { [EXIT]: Attribution } {
  return typeof e === 'object' && e !== null && EXIT in e;
}
