import type { Command, Help } from 'commander';
import { markdownTableAfter } from './markdown-table.js';
import { roffFromMarkdown, roffPreformatted, roffTagged, roffText } from './roff.js';

/** What the man page takes besides the program. */
export interface ManPageInput {
  /** README.md: its exit code and environment tables are the man page's. */
  readme: string;
  /** The date in the page's header, YYYY-MM-DD. */
  date: string;
}

/** The README line that introduces rolehop's own variables, and the heading of the exit codes. */
const ENV_TABLE = "rolehop's own environment variables";
const EXIT_TABLE = '## Exit codes';

/** Variables of the AWS tools that rolehop reads too (its own are in the README's table). */
const AWS_VARIABLES: ReadonlyArray<[string, string]> = [
  ['AWS_CONFIG_FILE', 'The AWS config file; default `~/.aws/config`.'],
  [
    'AWS_SHARED_CREDENTIALS_FILE',
    'The shared credentials file; rolehop never reads keys from it, but checks it is a regular file because the AWS SDK reads it.',
  ],
  ['AWS_PROFILE', 'The default source profile of `run` and the selection commands; removed from the environment of children.'],
  ['AWS_REGION, AWS_DEFAULT_REGION', 'The region when neither `--region` nor the profile chain names one.'],
];

const FILES: ReadonlyArray<[string, string]> = [
  ['~/.aws/config', 'Profiles and `[sso-session]` sections (or the file `AWS_CONFIG_FILE` names).'],
  [
    '~/.rolehop/',
    "rolehop's state (or `ROLEHOP_HOME`): `vault/` (the file vault), `sessions/` (the sealed session cache), `sso/` (sealed IAM Identity Center tokens), `agent/` (the agent's socket), `locks/`.",
  ],
];

/** The text `addHelpText('before'|'after', …)` gives the command, as `--help` prints it. */
function helpText(cmd: Command, position: 'before' | 'after'): string {
  let text = '';
  // commander keeps that text as listeners of its help events (a Command is an EventEmitter, untyped as one).
  (cmd as unknown as NodeJS.EventEmitter).emit(`${position}Help`, { error: false, command: cmd, write: (s: string) => (text += s) });
  return text.replace(/^\n+|\n+$/g, '');
}

function optionLines(help: Help, cmd: Command): string {
  return help
    .visibleOptions(cmd)
    .map((o) => roffTagged(roffText(help.optionTerm(o)), roffText(help.optionDescription(o))))
    .join('');
}

function argumentLines(help: Help, cmd: Command): string {
  return help
    .visibleArguments(cmd)
    .map((a) => roffTagged(roffText(help.argumentTerm(a)), roffText(help.argumentDescription(a))))
    .join('');
}

/** Every command a user can run, depth first, in `--help` order (commander's `help` pseudo-command left out). */
export function manCommands(program: Command): Command[] {
  const help = program.createHelp();
  const out: Command[] = [];
  const walk = (cmd: Command) => {
    for (const sub of help.visibleCommands(cmd).filter((c) => cmd.commands.includes(c))) {
      out.push(sub);
      walk(sub);
    }
  };
  walk(program);
  return out;
}

function commandSection(help: Help, cmd: Command): string {
  const before = helpText(cmd, 'before');
  const after = helpText(cmd, 'after');
  return [
    `.SS "${roffText(help.commandUsage(cmd))}"\n`,
    `${roffText(help.commandDescription(cmd))}\n`,
    before ? roffPreformatted(before) : '',
    argumentLines(help, cmd),
    cmd.commands.length ? '' : optionLines(help, cmd),
    after ? roffPreformatted(after) : '',
  ].join('');
}

function tableSection(title: string, rows: ReadonlyArray<readonly string[]>): string {
  return `.SH ${title}\n${rows.map(([term, text]) => roffTagged(roffFromMarkdown(term ?? ''), roffFromMarkdown(text ?? ''))).join('')}`;
}

/**
 * rolehop(1) in roff, from the program's own help: NAME, SYNOPSIS,
 * DESCRIPTION with the global options, COMMANDS (each command's usage,
 * description, arguments, options and the text after its help, examples
 * included), ENVIRONMENT and EXIT STATUS from the README's tables, FILES
 * and SEE ALSO. Pure.
 */
export function renderManPage(program: Command, input: ManPageInput): string {
  const help = program.createHelp();
  const env = markdownTableAfter(input.readme, ENV_TABLE);
  const exits = markdownTableAfter(input.readme, EXIT_TABLE);
  return [
    `.TH ROLEHOP 1 "${input.date}" "rolehop ${program.version() ?? ''}" "User Commands"\n`,
    `.SH NAME\nrolehop \\- ${roffText(program.description())}\n`,
    `.SH SYNOPSIS\n.B rolehop\n[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR] [\\fIarguments\\fR]\n`,
    `.SH DESCRIPTION\n${roffText(program.description())}.\nEvery command prints its own help with \\fB\\-\\-help\\fR. The global options go before or after the command:\n`,
    optionLines(help, program),
    `.SH COMMANDS\n`,
    manCommands(program)
      .map((c) => commandSection(help, c))
      .join(''),
    tableSection('ENVIRONMENT', [...AWS_VARIABLES, ...env]),
    tableSection('EXIT STATUS', exits),
    tableSection('FILES', FILES),
    `.SH SEE ALSO\n.BR aws (1),\nthe README.md of the rolehop package.\n`,
  ].join('');
}
