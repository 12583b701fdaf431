import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../io/context.js';

/** Marks a home whose user has seen the tip, so it is shown once, not on every prompt. */
const TIP_MARKER = 'agent-tip-shown';

/**
 * Once per rolehop home, after the file vault passphrase was typed at a
 * prompt: points at `rolehop agent start`, which asks for it once per session
 * instead of once per command. Never fails the command: a home where the
 * marker cannot be written just shows the tip again next time.
 */
export function agentTipOnce(rolehopHome: string, logger: Logger): void {
  try {
    // 'wx': the file's existence is the whole record; a second process loses the race quietly.
    writeFileSync(join(rolehopHome, TIP_MARKER), '', { flag: 'wx', mode: 0o600 });
  } catch {
    return;
  }
  logger.info('tip: `rolehop agent start` holds the unlocked vault, so the passphrase is asked once per session, not on every command.');
}
