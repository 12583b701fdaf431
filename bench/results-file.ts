// The sections of bench/results/latest.md and latest.json, so that a run of
// some sections only (`npm run bench roles-plan`) replaces those and keeps
// the others' last figures instead of dropping them. Each section's Markdown
// sits between two HTML comments, invisible when rendered.

const OPEN = (name: string) => `<!-- bench:${name} -->`;
const CLOSE = (name: string) => `<!-- /bench:${name} -->`;

/** `markdown` between the markers of section `name`. */
export function markSection(name: string, markdown: string): string {
  return `${OPEN(name)}\n${markdown.replace(/\n+$/, '')}\n${CLOSE(name)}`;
}

/** Every marked section of a results file, markers included, by name in file order. Unmarked text is left out. */
export function markedSections(md: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of md.matchAll(/<!-- bench:([\w-]+) -->\n[\s\S]*?\n<!-- \/bench:\1 -->/g)) out.set(m[1]!, m[0]);
  return out;
}

/**
 * The sections of a new results file: the previous ones in their order, each
 * replaced by its fresh block when it was run again, then fresh sections the
 * previous file did not have, in run order.
 */
export function mergeSections(previous: Map<string, string>, fresh: Map<string, string>): string[] {
  const out = [...previous].map(([name, block]) => fresh.get(name) ?? block);
  for (const [name, block] of fresh) if (!previous.has(name)) out.push(block);
  return out;
}

/** When each section last ran: a previous file's `runAt`, else its `machine.date` for every section it has. */
export function sectionDates(previousJson: Record<string, unknown> | undefined, sections: Iterable<string>): Record<string, string> {
  const runAt = (previousJson?.['runAt'] ?? {}) as Record<string, string>;
  const date = (previousJson?.['machine'] as { date?: string } | undefined)?.date;
  const out: Record<string, string> = {};
  for (const s of sections) {
    const d = runAt[s] ?? date;
    if (d) out[s] = d;
  }
  return out;
}
