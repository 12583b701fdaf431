import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configHasProfileHeader } from './profile-header.js';

describe('configHasProfileHeader', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'rolehop-header-'));
    mkdirSync(join(home, '.aws'));
    writeFileSync(
      join(home, '.aws', 'config'),
      '[default]\nregion = us-east-1\n\n[profile prod]\nrole_arn = x\n  [ profile  dev.eu+1 ]  \n# [profile commented]\n[profile prod2]\n[sso-session corp]\n',
    );
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('finds profiles by their header lines, names taken literally', () => {
    const env = { HOME: home };
    for (const name of ['default', 'prod', 'dev.eu+1', 'prod2']) assert.equal(configHasProfileHeader(env, name), true, name);
    for (const name of ['pro', 'prod3', 'dev', 'deveu+1', 'commented', 'corp', 'role_arn']) assert.equal(configHasProfileHeader(env, name), false, name);
  });

  it('is unsure (false) without HOME, without the file, or for a file that is not regular', () => {
    assert.equal(configHasProfileHeader({}, 'prod'), false);
    assert.equal(configHasProfileHeader({ HOME: join(home, 'nowhere') }, 'prod'), false);
    assert.equal(configHasProfileHeader({ HOME: home, AWS_CONFIG_FILE: home }, 'prod'), false);
    assert.equal(configHasProfileHeader({ HOME: '/x', AWS_CONFIG_FILE: join(home, '.aws', 'config') }, 'prod'), true);
  });
});
