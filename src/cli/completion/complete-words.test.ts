import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { DEFAULT_ENABLED_REGIONS, KNOWN_REGIONS } from '../../engine/regions.js';
import { buildProgram } from '../program.js';
import { completeShellFunctionWords, completeWords, listedValues, type CompletionSources } from './complete-words.js';

const program = buildProgram(() => async () => {});
const sources: CompletionSources = {
  profiles: () => ['prod-admin', 'prod-ro', 'dev', 'team:ops'],
  ssoSessions: () => ['corp', 'lab'],
};
const complete = (...words: string[]) => completeWords(program, words, sources);

test('command names come from the program, hidden ones left out', () => {
  const visible = program
    .createHelp()
    .visibleCommands(program)
    .map((c) => c.name());
  assert.deepEqual(complete(''), visible);
  assert.ok(!visible.includes('__complete'));
  assert.deepEqual(complete('ex'), ['exec', 'export']);
  assert.deepEqual(complete('sso', 'lo'), ['login', 'logout']);
  assert.deepEqual(
    complete('--json', 'rol'),
    ['roles', 'rotate'].filter((c) => c.startsWith('rol')),
  );
});

test('flags: the command reached, then those of the commands above it', () => {
  const flags = complete('exec', '--');
  assert.ok(flags.includes('--region') && flags.includes('--server') && flags.includes('--no-session'));
  assert.ok(flags.includes('--json') && flags.includes('--backend'), 'global flags too');
  assert.ok(!flags.includes('--regions'), "not another command's flags");
  assert.deepEqual(complete('run', '--sso'), ['--sso-session']);
  assert.deepEqual(complete('sso', 'login', '--pk'), ['--pkce']);
});

test('profile names for a profile argument and for --profile, only those that match', () => {
  assert.deepEqual(complete('exec', 'pro'), ['prod-admin', 'prod-ro']);
  assert.deepEqual(complete('exec', '--region', 'eu-west-1', 'pro'), ['prod-admin', 'prod-ro']);
  assert.deepEqual(complete('login', ''), ['prod-admin', 'prod-ro', 'dev', 'team:ops']);
  assert.deepEqual(complete('run', '--profile', 'd'), ['dev']);
  assert.deepEqual(complete('run', '-p', 't'), ['team:ops']);
  assert.deepEqual(complete('exec', 'prod-admin', 'pro'), [], 'the command to run is not a profile');
  assert.deepEqual(complete('exec', 'prod-admin', '--', 'pro'), []);
});

test('session names for --sso-session and sso --session', () => {
  assert.deepEqual(complete('run', '--sso-session', ''), ['corp', 'lab']);
  assert.deepEqual(complete('sso', 'logout', '--session', 'c'), ['corp']);
  assert.deepEqual(complete('run', '--sso-session=l'), ['--sso-session=lab']);
});

test('--region takes one known region; --regions also all, and completes after the last comma', () => {
  const region = complete('exec', '-r', '');
  assert.equal(region.length, KNOWN_REGIONS.size);
  assert.deepEqual(region.slice(0, DEFAULT_ENABLED_REGIONS.length), [...DEFAULT_ENABLED_REGIONS]);
  assert.equal(complete('run', '--regions', 'a')[0], 'all');
  assert.deepEqual(complete('run', '--regions', 'us-east-1,eu-west-'), ['us-east-1,eu-west-1', 'us-east-1,eu-west-2', 'us-east-1,eu-west-3']);
  assert.ok(!complete('run', '--regions', 'us-east-1,').includes('us-east-1,us-east-1'), 'a region already listed is not offered again');
  assert.ok(!complete('run', '--regions', 'us-east-1,').includes('us-east-1,all'));
  assert.deepEqual(complete('ami', 'create', '--copy-to', 'eu-central-'), ['eu-central-1', 'eu-central-2']);
});

test('listed values: --format, --backend, and choices of a shell argument', () => {
  assert.deepEqual(complete('export', '-f', ''), ['env', 'export-env', 'json', 'ini', 'credential-process', 'sh', 'fish']);
  assert.deepEqual(complete('export', '--format=e'), ['--format=env', '--format=export-env']);
  assert.deepEqual(complete('--backend', ''), ['keychain', 'file', 'memory']);
  assert.deepEqual(complete('completion', ''), ['bash', 'zsh', 'fish']);
  assert.deepEqual(listedValues('secret store: keychain | file | memory (env X)'), ['keychain', 'file', 'memory']);
  assert.deepEqual(listedValues('a plain description'), []);
});

test('an option value that is free text offers nothing (the shell falls back to file names)', () => {
  assert.deepEqual(complete('run', '--job', ''), []);
  assert.deepEqual(complete('run', '--accounts', '1'), []);
});

test('an argument named shell, or with choices, on a command the program gains later', () => {
  const p = new Command('x');
  p.command('shell-init').argument('<shell>');
  p.command('pick').argument('[profile]');
  assert.deepEqual(completeWords(p, ['shell-init', 'z'], sources), ['zsh']);
  assert.deepEqual(completeWords(p, ['pick', 'd'], sources), ['dev']);
});

test('sources are read only when a name can complete the word', () => {
  let reads = 0;
  const counting: CompletionSources = {
    profiles: () => (reads++, []),
    ssoSessions: () => (reads++, []),
  };
  completeWords(program, ['ex'], counting);
  completeWords(program, ['run', '--regions', ''], counting);
  assert.equal(reads, 0);
  completeWords(program, ['exec', ''], counting);
  assert.equal(reads, 1);
});

test('the shell function: profile names for its first argument only', () => {
  assert.deepEqual(completeShellFunctionWords(['pro'], sources), ['prod-admin', 'prod-ro']);
  assert.deepEqual(completeShellFunctionWords(['prod-admin', ''], sources), []);
  assert.deepEqual(completeShellFunctionWords(['--'], sources), []);
});
