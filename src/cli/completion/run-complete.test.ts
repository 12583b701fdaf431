import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../program.js';
import { completionLines } from './run-complete.js';

const program = buildProgram(() => async () => {});

function withConfig(text: string | undefined, fn: (env: NodeJS.ProcessEnv, home: string) => void): void {
  const home = mkdtempSync(join(tmpdir(), 'rolehop-complete-'));
  try {
    if (text !== undefined) {
      mkdirSync(join(home, '.aws'));
      writeFileSync(join(home, '.aws', 'config'), text);
    }
    fn({ HOME: home }, home);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

test('names come from the config the CLI reads: ~/.aws/config, or AWS_CONFIG_FILE', () => {
  withConfig('[profile prod]\n[profile "my team"]\n[default]\n[sso-session corp]\nsso_start_url = https://x\nsso_region = eu-west-1\n', (env, home) => {
    assert.deepEqual(completionLines(program, ['exec', ''], {}, env), ['prod', 'my team', 'default']);
    assert.deepEqual(completionLines(program, ['sso', 'login', '--session', ''], {}, env), ['corp']);
    const other = join(home, 'other-config');
    writeFileSync(other, '[profile elsewhere]\n');
    assert.deepEqual(completionLines(program, ['exec', ''], {}, { ...env, AWS_CONFIG_FILE: other }), ['elsewhere']);
  });
});

test('bash: the line is split here, and a name with a space is escaped', () => {
  withConfig('[profile "my team"]\n[profile myself]\n', (env) => {
    assert.deepEqual(completionLines(program, [], { bashLine: 'rolehop exec my', bashCur: 'my' }, env), ['my\\ team', 'myself']);
    assert.deepEqual(completionLines(program, [], { bashLine: 'rh m', bashCur: 'm', function: true }, env), ['my\\ team', 'myself']);
  });
});

test('no config, a broken config, or a config that is a directory: no candidates, no error', () => {
  withConfig(undefined, (env) => assert.deepEqual(completionLines(program, ['exec', ''], {}, env), []));
  withConfig('[profile ok\nnot ini at all', (env) => assert.deepEqual(completionLines(program, ['exec', ''], {}, env), []));
  withConfig('', (env, home) => assert.deepEqual(completionLines(program, ['exec', ''], {}, { ...env, AWS_CONFIG_FILE: home }), []));
  withConfig('', (env) => assert.deepEqual(completionLines(program, ['ex'], {}, env), ['exec', 'export']));
});
