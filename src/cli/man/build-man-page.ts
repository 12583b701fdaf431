import { buildProgram } from '../program.js';
import { renderManPage } from './man-page.js';

/**
 * The man page of this build, for `scripts/man.mjs`: the real program (its
 * commands never run: their actions do nothing here) and the README's tables.
 */
export function manPageOfProgram(readme: string, date: string): string {
  return renderManPage(
    buildProgram(() => async () => {}),
    { readme, date },
  );
}
