import { plural } from './plural.js';

/** What `clear` says on stderr once `n` sessions are gone (all, or those involving `profile`). */
export function clearedSessionsLine(n: number, profile?: string): string {
  return `Cleared ${plural(n, 'cached session')}${profile ? ` involving "${profile}"` : ''}.\n`;
}
