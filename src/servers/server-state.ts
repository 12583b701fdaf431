import type { Snapshot } from './credential-memo.js';

/** Counters, for tests and `--debug`. */
export interface ServerStats {
  /** Requests answered with credentials. */
  served: number;
  /** Requests refused (any 4xx). */
  refused: number;
  /** Calls to `getCredentials`. */
  readonly sourceCalls: number;
}

/** Fresh counters of a server whose credentials come from `memo`. */
export function serverStats(memo: { readonly sourceCalls: number }): ServerStats {
  return {
    served: 0,
    refused: 0,
    get sourceCalls() {
      return memo.sourceCalls;
    },
  };
}

/**
 * `make(snapshot)`, built once per snapshot: a warm server answers every
 * request for the held credentials with the same pre-serialised reply, doing
 * no allocation beyond what node:http itself needs.
 */
export function perSnapshot<T>(make: (s: Snapshot) => T): (s: Snapshot) => T {
  let madeFor: Snapshot | undefined;
  let made: T | undefined;
  return (s) => {
    if (s !== madeFor || made === undefined) {
      made = make(s);
      madeFor = s;
    }
    return made;
  };
}
