/**
 * Keys rolehop does not act on that other tools give a meaning, so the same
 * file can make aws-vault (or a later rolehop) build a different chain.
 * Naming them in a warning means nobody gets a different chain without
 * knowing. Pure.
 */
import type { Named } from './profile-chain.js';
import { quotedName } from './profile-name.js';

/** What each ignored key does elsewhere. */
const ELSEWHERE: ReadonlyArray<[key: RegExp, meaning: string]> = [
  [/^include_profile$/, 'aws-vault merges the named profile into this one'],
  [/^parent_profile$/, 'older aws-vault versions merge the named profile into this one'],
  [/^web_identity_token_process$/, 'aws-vault runs it to get a web identity token'],
  [/^sso_/, 'it is an IAM Identity Center (SSO) setting, and rolehop does not sign in with SSO yet'],
];

/**
 * One warning per key of `profile` that rolehop ignores but another tool
 * reads, naming the key and what it does there. Empty when there is none.
 */
export function ignoredKeyWarnings(profile: Named): string[] {
  const out: string[] = [];
  for (const key of Object.keys(profile.section)) {
    const hit = ELSEWHERE.find(([pattern]) => pattern.test(key));
    if (hit) out.push(`Profile "${profile.name}": ${quotedName(key)} is ignored by rolehop (${hit[1]}), so other tools may resolve this profile differently.`);
  }
  return out;
}
