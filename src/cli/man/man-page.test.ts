import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ExitCodes } from '../../errors.js';
import { STDOUT_CLOSED_EXIT } from '../closed-stdout.js';
import { buildProgram } from '../program.js';
import { manCommands, renderManPage } from './man-page.js';
import { markdownTableAfter } from './markdown-table.js';

const program = buildProgram(() => async () => {});
const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
const page = renderManPage(program, { readme, date: '2026-01-02' });

/** Every command with an action or subcommands, as parsing reaches them, hidden ones left out. */
function userCommands(cmd: Command, prefix: string): string[] {
  const help = cmd.createHelp();
  return help
    .visibleCommands(cmd)
    .filter((c) => cmd.commands.includes(c))
    .flatMap((c) => [`${prefix}${c.name()}`, ...userCommands(c, `${prefix}${c.name()} `)]);
}

const sections = (roff: string) => [...roff.matchAll(/^\.SH (.+)$/gm)].map((m) => m[1]);

test('the sections of a man page, in order', () => {
  assert.deepEqual(sections(page), ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'ENVIRONMENT', 'EXIT STATUS', 'FILES', 'SEE ALSO']);
  assert.match(page, /^\.TH ROLEHOP 1 "2026-01-02" "rolehop 0\.1\.0"/);
});

test('every command of the program has its usage, and none that is hidden', () => {
  const names = userCommands(program, '');
  assert.ok(names.includes('sso login') && names.includes('roles plan') && names.includes('completion'));
  assert.deepEqual(
    manCommands(program).map((c) => c.name()),
    names.map((n) => n.split(' ').pop()),
  );
  for (const name of names) assert.match(page, new RegExp(`^\\.SS "rolehop ${name.replaceAll('-', '\\\\-')}(\\|\\S+)? `, 'm'), name);
  assert.doesNotMatch(page, /__complete/);
});

test("a command's options, arguments and examples come from its help text", () => {
  const exec = page.slice(page.indexOf('.SS "rolehop exec'), page.indexOf('.SS "rolehop export'));
  assert.match(exec, /\\fB\\-r, \\-\\-region <region>\\fR\nregion for the child/);
  assert.match(exec, /\\fBcommand\.\.\.\\fR|\\fBcommand\\fR/);
  assert.match(exec, /Examples:\n {2}rolehop exec prod\\-admin \\-\\- aws sts get\\-caller\\-identity/);
  // The global options once, in DESCRIPTION.
  assert.match(page.slice(page.indexOf('.SH DESCRIPTION'), page.indexOf('.SH COMMANDS')), /\\-\\-mfa\\-token <code>/);
});

test('EXIT STATUS: every exit code rolehop has, from the README table', () => {
  const exit = page.slice(page.indexOf('.SH EXIT STATUS'), page.indexOf('.SH FILES'));
  for (const code of [...Object.values(ExitCodes), STDOUT_CLOSED_EXIT]) assert.match(exit, new RegExp(`^\\\\fB${code}\\\\fR$`, 'm'), `exit ${code}`);
  assert.match(exit, /\\fB11\\fR\n\\fBroles plan\\fR: something would change/);
});

test('ENVIRONMENT: the AWS variables rolehop reads and its own, from the README table', () => {
  const env = page.slice(page.indexOf('.SH ENVIRONMENT'), page.indexOf('.SH EXIT STATUS'));
  for (const v of ['AWS_CONFIG_FILE', 'ROLEHOP_HOME', 'ROLEHOP_BACKEND', 'ROLEHOP_MFA_PROCESS_TIMEOUT']) assert.match(env, new RegExp(`\\\\fB${v}\\\\fR`), v);
});

test('no line of text starts with a roff control character', () => {
  for (const line of page.split('\n')) if (/^[.']/.test(line)) assert.match(line, /^\.(TH|SH|SS|TP|PP|nf|fi|B|BR) ?/, line);
});

test('markdownTableAfter: rows after the header, escaped pipes kept in the cell', () => {
  const md = 'intro\n## Codes\n\ntext\n\n| a | b |\n|---|---|\n| 1 | x \\| y |\n| 2 | `z` |\n\nafter\n| no | table |';
  assert.deepEqual(markdownTableAfter(md, '## Codes'), [
    ['1', 'x | y'],
    ['2', '`z`'],
  ]);
  assert.deepEqual(markdownTableAfter(md, '## Missing'), []);
});
