import { fuzzyScoreLowered } from './fuzzy-score.js';
import type { ProfileChoice } from './profile-choices.js';

/** A match in the profile's own name is worth this much more than the same match in its account or role. */
const NAME_BONUS = 4;

interface Field {
  text: string;
  lower: string;
  bonus: number;
}

// Each keystroke ranks the same choices again: their fields are lower-cased once.
const fieldCache = new WeakMap<ProfileChoice, Field[]>();

function fieldsOf(c: ProfileChoice): Field[] {
  let fields = fieldCache.get(c);
  if (!fields) {
    fields = [{ text: c.name, lower: c.name.toLowerCase(), bonus: NAME_BONUS }];
    for (const f of [c.accountId, c.accountName, c.roleName]) if (f) fields.push({ text: f, lower: f.toLowerCase(), bonus: 0 });
    fieldCache.set(c, fields);
  }
  return fields;
}

function wordScore(word: string, fields: Field[]): number | undefined {
  let best: number | undefined;
  for (const f of fields) {
    const s = fuzzyScoreLowered(word, f.lower, f.text);
    if (s !== undefined && (best === undefined || s + f.bonus > best)) best = s + f.bonus;
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
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...choices];
  const scored: Array<{ c: ProfileChoice; score: number }> = [];
  for (const c of choices) {
    const fields = fieldsOf(c);
    let score = 0;
    for (const w of words) {
      const s = wordScore(w, fields);
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
