import type { Logger } from '../io/context.js';
import type { SessionCopies } from '../stores/contract.js';
import { readSessionCopy, sessionCopyProfiles, sessionCopyText } from './session-copy.js';
import type { ServedSession, SessionMirror } from './session-mirror.js';
import { chainFingerprint, planStepInputs } from './step-inputs.js';

/** What {@link sessionCopyMirror} is built from. */
export interface SessionCopyMirrorDeps {
  /**
   * Where session copies are kept (`keep`) or cleared (`clear`); undefined
   * for none. Asked each time, so a store is opened only when needed.
   */
  copies: (purpose: 'keep' | 'clear') => Promise<SessionCopies | undefined>;
  logger: Logger;
  /** Current time in ms. */
  now: () => number;
}

/**
 * The session mirror over a store's session copies (`session-copy.ts`):
 * keeps each profile's copy in step with what was just served: written after
 * every STS call, and after a cache hit when the copy is missing or holds
 * other credentials (an older session, a copy made before an upgrade).
 * `save` never fails: without a copy the hot path only takes the long way.
 * `forget` rejects when the copies could not be removed.
 */
export function sessionCopyMirror(deps: SessionCopyMirrorDeps): SessionMirror {
  /** What this mirror last knew each profile's copy to hold. */
  const copied = new Map<string, string>();
  return {
    async save({ plan, identity, credentials: served, fromCache }: ServedSession): Promise<void> {
      const chain = chainFingerprint(planStepInputs(plan, identity));
      if (!chain || !served.expiration) return;
      // A long-lived process (agent, library) asks again and again: check the keychain once per session.
      const mark = `${chain}\n${served.accessKeyId}\n${served.sessionToken ?? ''}`;
      if (copied.get(plan.profile) === mark) return;
      try {
        const copies = await deps.copies('keep');
        if (!copies) return;
        if (fromCache) {
          const held = await copies.get(plan.profile);
          const current = held === undefined ? undefined : readSessionCopy(held, chain, deps.now(), 0);
          if (current?.accessKeyId === served.accessKeyId && current.sessionToken === served.sessionToken) return void copied.set(plan.profile, mark);
        }
        const profiles = [...new Set([plan.source.profile, ...plan.hops.map((h) => h.profile), plan.profile])];
        await copies.put(plan.profile, sessionCopyText(chain, profiles, served)!);
        copied.set(plan.profile, mark);
      } catch (e) {
        deps.logger.debug(`sessions/broker: session copy of "${plan.profile}" not kept (${(e as { code?: string })?.code ?? 'error'})`);
      }
    },
    async forget(profile: string | undefined): Promise<void> {
      copied.clear();
      await (await deps.copies('clear'))?.remove((text) => profile === undefined || (sessionCopyProfiles(text)?.includes(profile) ?? true));
    },
  };
}
