import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../io/atomic-write.js';

/** A sign-in link is valid this long; a hand-off page older than that is only litter. */
const LINK_LIFETIME_MS = 15 * 60_000;

/** A private page that sends the browser on to the sign-in link. */
export interface HandoffPage {
  /** `file://…` of the page: safe to put in a browser's argv. */
  fileUrl: string;
  /** The page's own directory (0700), removed with it. */
  dir: string;
  path: string;
  /** Removes the page and its directory now. */
  remove(): void;
}

/**
 * The page's HTML: `location.replace` (so Back does not return to it), with
 * a meta refresh for a browser without scripts, and no referrer. The link is
 * JSON-encoded for the script (with `<` escaped so it cannot close the tag)
 * and HTML-escaped for the attribute.
 */
export function handoffHtml(url: string): string {
  const js = JSON.stringify(url).replace(/</g, '\\u003c');
  const attr = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return [
    '<!doctype html>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    '<title>rolehop: opening the AWS console</title>',
    `<script>location.replace(${js});</script>`,
    `<noscript><meta http-equiv="refresh" content="0;url=${attr}"></noscript>`,
    '',
  ].join('\n');
}

/**
 * Writes the hand-off page for `url` as `index.html`, 0600, in a fresh 0700
 * directory under `parent` (created 0700), so the link never has to be in a
 * browser's argv, which every local user can read with `ps`. Pages left
 * behind by earlier runs (a killed reaper) are removed once older than a
 * link's lifetime.
 */
export async function writeHandoffPage(parent: string, url: string, now = Date.now()): Promise<HandoffPage> {
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  sweepStale(parent, now);
  const dir = mkdtempSync(join(parent, 'page-'));
  const path = join(dir, 'index.html');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await writeFileAtomic(path, handoffHtml(url), 0o600);
  } catch (e) {
    remove();
    throw e;
  }
  return { fileUrl: pathToFileURL(path).href, dir, path, remove };
}

function sweepStale(parent: string, now: number): void {
  for (const name of readdirSync(parent)) {
    if (!name.startsWith('page-')) continue;
    const dir = join(parent, name);
    try {
      if (now - statSync(dir).mtimeMs > LINK_LIFETIME_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // gone already
    }
  }
}

/**
 * Removes `page` after `ms` from a small detached process, so `login`
 * returns at once while the browser gets time to read the page. The
 * process gets an empty environment and only the directory's path and the
 * delay in its argv: nothing secret.
 */
export function removeLater(page: HandoffPage, ms: number): void {
  const reaper = `setTimeout(() => require('node:fs').rmSync(process.argv[1], { recursive: true, force: true }), Number(process.argv[2]));`;
  try {
    spawn(process.execPath, ['-e', reaper, page.dir, String(ms)], { detached: true, stdio: 'ignore', env: {} }).unref();
  } catch {
    // No reaper: the next login sweeps the page once the link has expired.
  }
}
