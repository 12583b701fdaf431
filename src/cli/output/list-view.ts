import type { AwsConfig } from '../../config/aws-config.js';
import { listProfiles, type ProfileSummary } from '../../config/list-profiles.js';
import { compareNames } from '../../config/name-order.js';
import type { KeyMetadata } from '../../credentials/vault-contract.js';
import type { SessionMeta } from '../../sessions/session-cache.js';

/** What `rolehop list --json` prints; stable field names. */
export interface ListView {
  /** `sessionSecondsLeft`: the longest time left among the profile's live sessions (absent when none). */
  profiles: Array<ProfileSummary & { storedKey: boolean; sessionSecondsLeft?: number }>;
  keys: KeyMetadata[];
  sessions: Array<{ profile: string; kind: SessionMeta['kind']; roleArn?: string; accountId?: string; mfa: boolean; expiresAt: string; secondsLeft: number }>;
}

/** Builds the list view from config, vault metadata and cache metadata (pure). */
export function buildListView(config: AwsConfig, keys: KeyMetadata[], sessions: SessionMeta[], now: number): ListView {
  const stored = new Set(keys.map((k) => k.profile));
  const summaries = new Map(listProfiles(config).map((p) => [p.name, p]));
  const names = new Set([...summaries.keys(), ...stored]);
  const live = liveSessions(sessions, now);
  const left = new Map<string, number>();
  for (const s of live) left.set(s.profile, Math.max(left.get(s.profile) ?? 0, s.secondsLeft));
  const profiles: ListView['profiles'] = [...names].sort().map((name) => ({
    ...(summaries.get(name) ?? { name, kind: 'key' as const }),
    storedKey: stored.has(name),
    ...(left.has(name) ? { sessionSecondsLeft: left.get(name)! } : {}),
  }));
  return { profiles, keys, sessions: live };
}

function liveSessions(sessions: SessionMeta[], now: number): ListView['sessions'] {
  return sessions
    .map((m) => ({
      profile: m.profile,
      kind: m.kind,
      ...(m.roleArn ? { roleArn: m.roleArn } : {}),
      ...(m.accountId ? { accountId: m.accountId } : {}),
      mfa: m.mfa,
      expiresAt: m.expiresAt,
      secondsLeft: Math.max(0, Math.floor((Date.parse(m.expiresAt) - now) / 1000)),
    }))
    .filter((s) => s.secondsLeft > 0)
    .sort((a, b) => compareNames(a.profile, b.profile) || a.secondsLeft - b.secondsLeft);
}

/** Column heads of the profile table, matching {@link profileRows}. */
export const PROFILE_HEAD = ['profile', 'kind', 'account / role', 'via', 'region', 'mfa', 'stored key', 'session'];

/**
 * The profile table: one single-line row per profile (a terminal shows one
 * profile a line, and the plain rows past the bordered limit stay greppable).
 * An inherited region names the profile it comes from.
 */
export function profileRows(view: ListView): string[][] {
  return view.profiles.map((p) => [
    p.name,
    p.kind,
    p.accountId && p.roleName ? `${p.accountId} ${p.roleName}` : (p.roleArn ?? p.accountId ?? '-'),
    p.sourceProfile ?? '-',
    p.effectiveRegion ? (p.regionFrom ? `${p.effectiveRegion} (from ${p.regionFrom})` : p.effectiveRegion) : '-',
    p.mfaSerial ? 'yes' : '-',
    p.storedKey ? 'yes' : '-',
    p.sessionSecondsLeft !== undefined ? formatDuration(p.sessionSecondsLeft) : '-',
  ]);
}

/** "1h 05m", "12m", "45s". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (h) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m`;
  return `${seconds}s`;
}
