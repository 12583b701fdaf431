/**
 * Keys rolehop does not act on that other tools give a meaning, so the same
 * file can make aws-vault (or a later rolehop) build a different chain.
 * Naming them in a warning means nobody gets a different chain without
 * knowing. Pure.
 */
import type { Named } from './profile-chain.js';
import { quotedName } from './profile-name.js';
import { profileValue } from './profile-values.js';

/** What each ignored key does elsewhere, and when rolehop ignores it (always, unless `when` says otherwise). */
const ELSEWHERE: ReadonlyArray<{ key: RegExp; meaning: string; when?: (p: Named) => boolean }> = [
  { key: /^include_profile$/, meaning: 'aws-vault merges the named profile into this one' },
  { key: /^parent_profile$/, meaning: 'older aws-vault versions merge the named profile into this one' },
  { key: /^web_identity_token_process$/, meaning: 'aws-vault runs it to get a web identity token' },
  // An SSO profile's own keys are its source; beside role_arn the role wins, as in the SDKs.
  {
    key: /^sso_/,
    meaning: 'an IAM Identity Center setting, not used on a profile with role_arn, whose role is assumed instead',
    when: (p) => profileValue(p.section, 'role_arn') !== undefined,
  },
];

/**
 * One warning per key of `profile` that rolehop ignores but another tool
 * reads, naming the key and what it does there. Empty when there is none.
 */
export function ignoredKeyWarnings(profile: Named): string[] {
  const out: string[] = [];
  for (const key of Object.keys(profile.section)) {
    const hit = ELSEWHERE.find((e) => e.key.test(key) && (e.when?.(profile) ?? true));
    if (hit)
      out.push(`Profile "${profile.name}": ${quotedName(key)} is ignored by rolehop (${hit.meaning}), so other tools may resolve this profile differently.`);
  }
  return out;
}
