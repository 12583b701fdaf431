import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AwsConfig } from '../../config/aws-config.js';
import { buildListView, formatDuration, profileRows } from './list-view.js';

describe('buildListView', () => {
  const config: AwsConfig = {
    path: '/c',
    profiles: new Map<string, Record<string, string>>([
      ['alice', { mfa_serial: 'arn:aws:iam::123456789012:mfa/alice', region: 'eu-west-1' }],
      ['prod', { role_arn: 'arn:aws:iam::111111111111:role/Admin', source_profile: 'alice' }],
    ]),
    services: new Map(),
  };
  const now = Date.parse('2026-11-23T10:00:00Z');

  it('joins config profiles, stored keys and live sessions; drops expired ones', () => {
    const v = buildListView(
      config,
      [
        { profile: 'alice', accessKeyId: 'AKIA1', backend: 'file', addedAt: '2026-11-01T00:00:00Z' },
        { profile: 'orphan', accessKeyId: 'AKIA2', backend: 'file', addedAt: 'x' },
      ],
      [
        {
          kind: 'hop',
          profile: 'prod',
          profiles: ['alice', 'prod'],
          roleArn: 'arn:aws:iam::111111111111:role/Admin',
          accountId: '111111111111',
          mfa: true,
          createdAt: '',
          expiresAt: '2026-11-23T10:30:00Z',
        },
        { kind: 'session', profile: 'alice', profiles: ['alice'], mfa: true, createdAt: '', expiresAt: '2026-11-23T09:00:00Z' },
      ],
      now,
    );
    assert.deepEqual(
      v.profiles.map((p) => [p.name, p.kind, p.storedKey]),
      [
        ['alice', 'key', true],
        ['orphan', 'key', true],
        ['prod', 'role', false],
      ],
    );
    assert.deepEqual(
      v.sessions.map((s) => [s.profile, s.secondsLeft]),
      [['prod', 1800]],
    );
  });

  it('gives each profile the longest time left of its live sessions, and rows of one line each', () => {
    const sessions = [
      { kind: 'hop' as const, profile: 'prod', profiles: ['alice', 'prod'], mfa: true, createdAt: '', expiresAt: '2026-11-23T10:30:00Z' },
      { kind: 'hop' as const, profile: 'prod', profiles: ['alice', 'prod'], mfa: false, createdAt: '', expiresAt: '2026-11-23T10:05:00Z' },
    ];
    const v = buildListView(config, [], sessions, now);
    assert.deepEqual(
      v.profiles.map((p) => [p.name, p.sessionSecondsLeft]),
      [
        ['alice', undefined],
        ['prod', 1800],
      ],
    );
    assert.deepEqual(profileRows(v), [
      ['alice', 'key', '-', '-', 'eu-west-1', 'yes', '-', '-'],
      ['prod', 'role', '111111111111 Admin', 'alice', 'eu-west-1 (from alice)', '-', '-', '30m'],
    ]);
  });

  it('formats durations', () => {
    assert.equal(formatDuration(3900), '1h 05m');
    assert.equal(formatDuration(720), '12m');
    assert.equal(formatDuration(45), '45s');
  });
});
