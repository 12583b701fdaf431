// Writes dist/rolehop.1, the man page, from the program's own help text and
// the README's tables (src/cli/man/). The TypeScript is bundled to a
// throw-away module first: the build has esbuild, not a TypeScript loader.
// package.json "man" installs the page with `npm install -g`.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The page's date: SOURCE_DATE_EPOCH for reproducible builds, else today. */
function pageDate() {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return new Date(Number.isFinite(epoch) && epoch > 0 ? epoch * 1000 : Date.now()).toISOString().slice(0, 10);
}

/** Builds the page into `out` (default dist/rolehop.1). */
export async function writeManPage(out = 'dist/rolehop.1') {
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-man-'));
  try {
    await build({
      entryPoints: { man: 'src/cli/man/build-man-page.ts' },
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      // The commands' handlers are split off, never loaded: the page needs only their specs.
      splitting: true,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      mainFields: ['module', 'main'],
      logLevel: 'warning',
      banner: { js: "import { createRequire as __manCreateRequire } from 'node:module'; const require = __manCreateRequire(import.meta.url);" },
    });
    const { manPageOfProgram } = await import(pathToFileURL(join(dir, 'man.mjs')).href);
    mkdirSync('dist', { recursive: true });
    writeFileSync(out, manPageOfProgram(readFileSync('README.md', 'utf8'), pageDate()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await writeManPage();
