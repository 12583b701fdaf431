import type { Plan } from '../config/plan.js';
import type { Credentials } from '../credentials/types.js';

/** One session the broker has just served, as a {@link SessionMirror} sees it. */
export interface ServedSession {
  /** The plan it was served for (its profile names the mirror entry). */
  plan: Plan;
  /** `sourceIdentity` of the plan's source. */
  identity: string;
  credentials: Credentials;
  /** True when it came from the session cache rather than from STS just now. */
  fromCache: boolean;
}

/**
 * All the broker knows of a session mirror: somewhere outside the session
 * cache that is told of every session served (`save`) and of every
 * `clear` (`forget`). The broker's cache stays the source of truth; a mirror
 * only lets a reader elsewhere skip it (see `session-copy-mirror.ts`).
 * Neither method may fail a request: a mirror logs what goes wrong itself,
 * except that `forget` may reject to say entries it could not remove stay
 * usable until they expire.
 */
export interface SessionMirror {
  save(served: ServedSession): Promise<void>;
  /** Forgets what names `profile` (every entry when undefined), and anything remembered about it. */
  forget(profile: string | undefined): Promise<void>;
}
