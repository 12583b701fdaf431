import { realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ErrorCodes, RolehopError } from '../errors.js';

/** Why a path may not be trusted: which path, and what is wrong with it (no secrets: paths, uids and modes only). */
export interface PathProblem {
  path: string;
  why: string;
  /** What to do about it, in one line. */
  fix: string;
}

const octal = (mode: number) => `0${(mode & 0o7777).toString(8)}`;
const whoWrites = (mode: number) => (mode & 0o002 ? 'every user' : 'its group');
const ELSEWHERE_TAIL = 'set ROLEHOP_HOME to a directory of your own that only you can write to.';
const ELSEWHERE = `Set ROLEHOP_HOME to a directory of your own that only you can write to.`;
// Taking ownership of another user's directory would adopt whatever they planted in it.
const TAKE_NOTHING_OVER = `Do not take it over: move it aside (it may hold files another user planted) and let rolehop make a new one, or ${ELSEWHERE_TAIL}`;

/**
 * What is wrong with a directory or file that holds rolehop's code or
 * secrets, given its stats: it must belong to `euid` and be writable by
 * nobody else (as ssh demands of `~/.ssh`). Undefined when it is fine.
 */
export function ownProblem(path: string, st: Pick<Stats, 'uid' | 'mode'>, euid: number): PathProblem | undefined {
  if (st.uid !== euid) return { path, why: `belongs to uid ${st.uid}, not to you (uid ${euid})`, fix: TAKE_NOTHING_OVER };
  if (st.mode & 0o022) return { path, why: `is writable by ${whoWrites(st.mode)} (mode ${octal(st.mode)})`, fix: `Run \`chmod go-w ${path}\`.` };
  return undefined;
}

/**
 * What is wrong with a directory on the way to rolehop's home: whoever can
 * write to it can swap the home for one of their own, so it must belong to
 * `euid` or root and be writable by nobody else, unless it is sticky (like
 * /tmp: others cannot rename or delete what is ours there).
 */
export function ancestorProblem(path: string, st: Pick<Stats, 'uid' | 'mode'>, euid: number): PathProblem | undefined {
  if (st.uid !== euid && st.uid !== 0) return { path, why: `belongs to uid ${st.uid}, who can replace what is in it`, fix: ELSEWHERE };
  if (st.mode & 0o022 && !(st.mode & 0o1000)) {
    return {
      path,
      why: `is writable by ${whoWrites(st.mode)} (mode ${octal(st.mode)}), who can replace what is in it`,
      fix: `Run \`chmod go-w ${path}\` (or add the sticky bit), or ${ELSEWHERE_TAIL}`,
    };
  }
  return undefined;
}

/**
 * The first reason not to trust rolehop's home `home`, or undefined: the
 * home itself (when it exists) must be {@link ownProblem}-clean, every
 * directory above it {@link ancestorProblem}-clean, after resolving
 * symbolic links. A home that does not exist yet is judged by its parents
 * (it will be created 0700). Costs one realpath and one stat per path
 * component, so the credential_process hot path can afford it. Always
 * undefined where there are no uids (Windows).
 */
export function homeProblem(home: string, euid: number | undefined = process.geteuid?.()): PathProblem | undefined {
  if (euid === undefined) return undefined;
  let path = resolve(home);
  let own = true;
  // The nearest existing path, with links resolved: a missing home is judged by where it would be made.
  for (;;) {
    try {
      path = realpathSync.native(path);
      break;
    } catch {
      const up = dirname(path);
      if (up === path) return undefined;
      path = up;
      own = false;
    }
  }
  for (;;) {
    let st: Stats;
    try {
      st = statSync(path);
    } catch {
      return undefined; // vanished while we looked: the real use will fail on its own
    }
    const problem = own ? ownProblem(path, st, euid) : ancestorProblem(path, st, euid);
    if (problem) return problem;
    own = false;
    const up = dirname(path);
    if (up === path) return undefined;
    path = up;
  }
}

/**
 * What is wrong with an existing directory or file inside a trusted home
 * ({@link ownProblem}), or undefined; a missing one is fine (it will be
 * made private). Links are followed: inside a trusted home only its owner
 * can have made one.
 */
export function entryProblem(path: string, euid: number | undefined = process.geteuid?.()): PathProblem | undefined {
  if (euid === undefined) return undefined;
  let st: Stats;
  try {
    st = statSync(path, { throwIfNoEntry: false }) as Stats;
  } catch {
    return undefined;
  }
  return st ? ownProblem(path, st, euid) : undefined;
}

/** The entries of a rolehop home that hold secrets or code, or decide where they go. */
const GUARDED_ENTRIES = ['vault', 'sessions', 'code-cache', 'agent', 'locks', 'rotate', 'login'];

/**
 * Throws ERR_UNSAFE_PERMISSIONS, with the command that fixes it, when
 * rolehop's home, a directory above it ({@link homeProblem}) or one of its
 * entries that hold secrets or code ({@link entryProblem}) could be written
 * by another user, who could then plant code for rolehop to run or swap
 * the vault and sessions. Like ssh's StrictModes, it refuses rather than
 * repairs: the user may have made it so for a reason, and must decide.
 */
export function assertTrustedHome(home: string, euid: number | undefined = process.geteuid?.()): void {
  const problem = homeProblem(home, euid) ?? GUARDED_ENTRIES.map((e) => entryProblem(join(home, e), euid)).find((p) => p !== undefined);
  if (!problem) return;
  throw new RolehopError(
    ErrorCodes.UNSAFE_PERMISSIONS,
    `Refusing to use ${problem.path}: it ${problem.why}, so another user could plant code or swap secrets there`,
    {
      hint: problem.fix,
      details: { path: problem.path },
    },
  );
}
