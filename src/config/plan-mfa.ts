/**
 * Which MFA device a plan uses: one code for many roles, as aws-vault does.
 * Pure.
 */
import type { AwsConfig } from './aws-config.js';
import type { Named } from './profile-chain.js';
import { checkMfaSerial, profileValue } from './profile-values.js';

/** The MFA settings of a plan and the profile they were read from. */
export interface PlanMfa {
  settings: { mfaSerial: string; mfaProcess?: string };
  from: Named;
}

/**
 * Checks every `mfa_serial` of `chain` (distinct profiles, source first),
 * then picks the first one. Its `mfa_process` is the one nearest the target
 * among the profiles that name no serial or the same serial: a target's own
 * `mfa_process` wins over its source's.
 * Pushes a warning onto `warnings` for each other serial, which is not used.
 * Undefined when no profile of the chain has `mfa_serial`.
 *
 * Errors: ERR_PROFILE_INVALID (a malformed serial).
 */
export function chooseMfa(config: AwsConfig, chain: readonly Named[], warnings: string[]): PlanMfa | undefined {
  for (const n of chain) {
    const serial = profileValue(n.section, 'mfa_serial');
    if (serial !== undefined) checkMfaSerial(n.name, config.path, serial);
  }
  const mfaFrom = chain.find((n) => profileValue(n.section, 'mfa_serial') !== undefined);
  if (!mfaFrom) return undefined;
  const mfaSerial = profileValue(mfaFrom.section, 'mfa_serial')!;
  // The code comes from the mfa_process nearest the target, as aws-vault
  // users expect: the profile they asked for can bring its own (another
  // YubiKey slot, a push approval) while sharing its source's device. A
  // profile naming a different serial cannot speak for this one.
  const processFrom = [...chain]
    .reverse()
    .find((n) => profileValue(n.section, 'mfa_process') !== undefined && [undefined, mfaSerial].includes(profileValue(n.section, 'mfa_serial')));
  const settings = { mfaSerial, ...(processFrom ? { mfaProcess: profileValue(processFrom.section, 'mfa_process')! } : {}) };
  for (const n of chain) {
    const other = profileValue(n.section, 'mfa_serial');
    if (other !== undefined && other !== settings.mfaSerial) {
      warnings.push(`Profile "${n.name}": mfa_serial ${other} is not used; rolehop asks once, for ${settings.mfaSerial} (from profile "${mfaFrom.name}").`);
    }
  }
  return { settings, from: mfaFrom };
}
