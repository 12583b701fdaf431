import { fuzzyScore } from './fuzzy-score.js';
import type { ProfileChoice } from './profile-choices.js';

/** A match in the profile's own name is worth this much more than the same match in its account or role. */
const NAME_BONUS = 4;

function fieldsOf(c: ProfileChoice): Array<[text: string, bonus: number]> {
  const fields: Array<[string, number]> = [[c.name, NAME_BONUS]];
  for (const f of [c.accountId, c.accountName, c.roleName]) if (f) fields.push([f, 0]);
  return fields;
}

function tokenScore(token: string, fields: Array<[string, number]>): number | undefined {
  let best: number | undefined;
  for (const [text, bonus] of fields) {
    const s = fuzzyScore(token, text);
    if (s !== undefined && (best === undefined || s + bonus > best)) best = s + bonus;
  }
  return best;
}

/**
 * The choices that match `query`, best first. Each whitespace-separated word
 * of the query must match (as a subsequence, see {@link fuzzyScore}) the
 * profile name, account id, account name or role name, each word its best
 * field; the words' scores add up. Ties go to the shorter, then the
 * alphabetically first name. An empty query keeps every choice in its order.
 */
export function rankProfiles(choices: readonly ProfileChoice[], query: string): ProfileChoice[] {
  const words = query.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return [...choices];
  const scored: Array<{ c: ProfileChoice; score: number }> = [];
  for (const c of choices) {
    const fields = fieldsOf(c);
    let score = 0;
    for (const w of words) {
      const s = tokenScore(w, fields);
      if (s === undefined) {
        score = -Infinity;
        break;
      }
      score += s;
    }
    if (score !== -Infinity) scored.push({ c, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || a.c.name.length - b.c.name.length || (a.c.name < b.c.name ? -1 : a.c.name > b.c.name ? 1 : 0))
    .map((s) => s.c);
}
