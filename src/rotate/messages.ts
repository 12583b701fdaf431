import type { AccessKeyInfo } from '../aws/iam-port.js';
import { errorMessage } from './describe-error.js';

// What a rotation tells people: error messages with their hints, progress
// notices and the commands to clean up by hand. Key ids and user names only,
// never a secret. `profile` is the profile the user named (for "run again"),
// `keyProfile` the one whose vault entry holds the key.

/** The message and hint of a rotation failure. */
export interface FailureText {
  message: string;
  hint: string;
}

/**
 * The exact AWS CLI command that deletes a key, for messages telling the
 * user what to clean up. Key ids and user names are not secrets; both are
 * restricted to `[\w+=,.@-]` by IAM, so no quoting is needed.
 */
export function deleteKeyCommand(userName: string, accessKeyId: string): string {
  return `aws iam delete-access-key --user-name ${userName} --access-key-id ${accessKeyId}`;
}

/** The hint after a clean-up: the commands still to run, if any, else `otherwise`. */
export function cleanupHint(cleanup: readonly string[], otherwise: string): string {
  return cleanup.length ? `Delete the unused key: ${cleanup.join(' ; ')}` : otherwise;
}

// --- failures before anything changed -------------------------------------

/** What was being done when a step failed before anything changed (ends "...; nothing was changed"). */
export const doing = {
  readVault: (keyProfile: string) => `reading the key of "${keyProfile}" from the vault`,
  checkStoredKey: (accessKeyId: string) => `checking the stored key ${accessKeyId}`,
  getIamCaller: 'obtaining credentials for IAM',
  listForResume: 'listing keys to clean up an interrupted rotation',
  listKeys: 'listing access keys',
  writeJournal: (location: string) => `writing the rotation journal ${location}`,
};

/** A RolehopError's own message, noting that nothing was changed. */
export function unchangedNote(message: string, what: string): string {
  return `${message} (${what}; nothing was changed)`;
}

/** Any other error before anything changed. */
export function unchangedFailure(what: string, e: unknown): FailureText {
  return { message: `${what} failed: ${errorMessage(e)}; nothing was changed`, hint: 'Run again with --debug for details.' };
}

/** IAM has no room for a new key: names every key and the command for the ones rolehop does not hold (`cleanup`). */
export function tooManyKeys(
  profile: string,
  keyProfile: string,
  userName: string,
  keys: AccessKeyInfo[],
  heldKeyId: string,
  cleanup: readonly string[],
): FailureText {
  const describe = (k: AccessKeyInfo) =>
    `${k.accessKeyId} (${k.status}${k.createDate ? `, created ${k.createDate.toISOString().slice(0, 10)}` : ''}${k.accessKeyId === heldKeyId ? `, the one rolehop holds for "${keyProfile}"` : ''})`;
  return {
    message: `IAM user ${userName} already has ${keys.length} access keys: ${keys.map(describe).join(' and ')}. AWS allows two per user (inactive ones count), so no new key can be created; nothing was changed.`,
    hint: `Delete the key rolehop does not use if nothing else needs it: ${cleanup.join(' ; ')} — then run \`rolehop rotate ${profile}\` again.`,
  };
}

/** The vault's key is not one of the user's keys. */
export function notAmongKeys(heldKeyId: string, userName: string): FailureText {
  return {
    message: `The stored key ${heldKeyId} is not among the keys of IAM user ${userName}; nothing was changed`,
    hint: 'Check the key with `aws iam list-access-keys`.',
  };
}

/** The user answered no to the confirmation. */
export function declined(profile: string): FailureText {
  return { message: 'Rotation cancelled; nothing was changed', hint: `Run \`rolehop rotate ${profile} --yes\` to rotate without the question.` };
}

// --- resuming an interrupted rotation -------------------------------------

/** The unused key of an interrupted rotation could not be deleted. */
export function orphanNotDeleted(profile: string, newKeyId: string, e: unknown, heldKeyId: string, cmd: string): FailureText {
  return {
    message: `An interrupted rotation left the unused key ${newKeyId}, and deleting it failed: ${errorMessage(e)}. The vault still holds ${heldKeyId}, which works.`,
    hint: `Delete it: ${cmd} (or run \`rolehop rotate ${profile}\` again).`,
  };
}

/** An interrupted CreateAccessKey left keys rolehop cannot tell from ones made elsewhere. */
export function interruptedCreate(profile: string, userName: string, unknown: AccessKeyInfo[], heldKeyId: string, cleanup: readonly string[]): FailureText {
  return {
    message: `A previous rotation was interrupted while creating a key. IAM user ${userName} now also has ${unknown
      .map((k) => `${k.accessKeyId} (created ${k.createDate?.toISOString() ?? 'at an unknown time'})`)
      .join(', ')}, which rolehop does not hold; the vault still holds ${heldKeyId}, which works.`,
    hint: `If you did not create it elsewhere, delete it: ${cleanup.join(' ; ')} — then run \`rolehop rotate ${profile}\` again.`,
  };
}

// --- creating, proving and storing the new key ----------------------------

/** The sentence after deleting the new key again; `cmd` is set when that failed. */
export function rollbackSentence(newKeyId: string, failed?: { code: string; cmd: string }): string {
  if (!failed) return `The new key ${newKeyId} was deleted again; IAM is back to the key the vault holds.`;
  return `The new key ${newKeyId} could not be deleted again (${failed.code}); it is unused, delete it: ${failed.cmd}`;
}

/** CreateAccessKey failed and listing the keys afterwards failed too. */
export function createUnchecked(profile: string, e: unknown, oldKeyId: string): FailureText {
  return {
    message: `Creating a new key failed (${errorMessage(e)}), and rolehop could not check whether one was created anyway. The vault still holds ${oldKeyId}, which works.`,
    hint: `Run \`rolehop rotate ${profile}\` again: it checks and cleans up first.`,
  };
}

/** CreateAccessKey failed and made no key; `cause.hint` is the error's own hint, if any. */
export function createFailedUnchanged(e: unknown, oldKeyId: string, cause: { limit: boolean; hint?: string | undefined }): FailureText {
  return {
    message: `Creating a new key failed: ${errorMessage(e)}. Nothing was changed; the vault still holds ${oldKeyId}.`,
    hint: cause.limit
      ? 'The user already has two keys; delete the one rolehop does not use (`aws iam list-access-keys`), then try again.'
      : cause.hint
        ? cause.hint
        : 'The IAM user needs iam:CreateAccessKey, iam:DeleteAccessKey and iam:ListAccessKeys on itself.',
  };
}

/** CreateAccessKey reported an error although it made a key; `rollbacks` says what became of it. */
export function createHalfSucceeded(e: unknown, rollbacks: string[], oldKeyId: string, cleanup: readonly string[]): FailureText {
  return {
    message: `Creating a new key reported an error (${errorMessage(e)}) although a key was created. ${rollbacks.join(' ')} The vault still holds ${oldKeyId}, which works.`,
    hint: cleanupHint(cleanup, 'Try again.'),
  };
}

/** AWS never accepted the new key; `rollback` says what became of it. */
export function newKeyNotAccepted(
  newKeyId: string,
  attempts: number,
  why: string,
  rollback: string,
  oldKeyId: string,
  cleanup: readonly string[],
): FailureText {
  return {
    message: `The new key ${newKeyId} was not accepted by AWS after ${attempts} attempt(s) (${why}). ${rollback} The vault still holds ${oldKeyId}, which works.`,
    hint: cleanupHint(cleanup, 'Try again later; IAM may be slow to propagate new keys.'),
  };
}

/** The vault write failed and the vault still holds the old key; `rollback` says what became of the new one. */
export function storeFailedRolledBack(e: unknown, newKeyId: string, rollback: string, oldKeyId: string, cleanup: readonly string[]): FailureText {
  return {
    message: `Could not store the new key ${newKeyId} in the vault: ${errorMessage(e)}. ${rollback} The vault still holds ${oldKeyId}, which works.`,
    hint: cleanupHint(cleanup, 'Fix the vault problem, then run the rotation again.'),
  };
}

/** The vault write failed and the vault cannot be read back: both keys are kept, with both commands. */
export function storeFailedUnknown(
  profile: string,
  keyProfile: string,
  e: unknown,
  keys: { oldKeyId: string; newKeyId: string; delOld: string; delNew: string },
): FailureText {
  const { oldKeyId, newKeyId, delOld, delNew } = keys;
  return {
    message: `Could not store the new key ${newKeyId} (${errorMessage(e)}) and could not read the vault back; both ${oldKeyId} (old) and ${newKeyId} (new) still exist in IAM.`,
    hint: `Once the vault works, run \`rolehop rotate ${profile}\` again to finish or clean up. By hand: if \`rolehop list\` shows ${newKeyId} for "${keyProfile}", run ${delOld}; otherwise run ${delNew}.`,
  };
}

// --- proving the stored key and deleting the old one ----------------------

/** The stored key could not be proven and putting the old key back failed: both keys are kept. */
export function restoreFailed(profile: string, why: string, e: unknown, oldKeyId: string, newKeyId: string, cmd: string): FailureText {
  return {
    message: `The key stored in the vault could not be proven to work (${why}), and putting the old key back failed too (${errorMessage(e)}). Both ${oldKeyId} (old) and ${newKeyId} (new) still exist in IAM; nothing was deleted.`,
    hint: `Once the vault works, run \`rolehop rotate ${profile}\` again to finish. If \`rolehop list\` shows ${newKeyId}, the old key can go: ${cmd}`,
  };
}

/** The stored key could not be proven; the old key is back in the vault and `rollback` says what became of the new one. */
export function storedKeyRestored(why: string, oldKeyId: string, rollback: string, cleanup: readonly string[]): FailureText {
  return {
    message: `The key stored in the vault could not be proven to work (${why}). The old key ${oldKeyId} was put back in the vault. ${rollback}`,
    hint: cleanupHint(cleanup, 'Check the vault backend, then run the rotation again.'),
  };
}

/** Finishing an interrupted rotation: the stored new key could not be proven, so the old key is kept. */
export function resumedKeyUnproven(profile: string, newKeyId: string, why: string, oldKeyId: string, cmd: string): FailureText {
  return {
    message: `Finishing an interrupted rotation: the key ${newKeyId} in the vault could not be proven to work (${why}); the old key ${oldKeyId} was left in IAM.`,
    hint: `Check \`rolehop exec ${profile} -- aws sts get-caller-identity\`; once it works, run \`rolehop rotate ${profile}\` again, or delete the old key: ${cmd}`,
  };
}

/** The rotation is done except for deleting the old key. */
export function oldKeyNotDeleted(profile: string, newKeyId: string, oldKeyId: string, e: unknown, cmd: string): FailureText {
  return {
    message: `The vault now holds the new key ${newKeyId}, which works, but deleting the old key ${oldKeyId} failed: ${errorMessage(e)}`,
    hint: `Delete it: ${cmd} (or run \`rolehop rotate ${profile}\` again to finish).`,
  };
}

// --- notices ---------------------------------------------------------------

/** Progress notices for `logger.info`. */
export const notice = {
  finishing: (newKeyId: string, oldKeyId: string) =>
    `Finishing an interrupted rotation: the vault holds ${newKeyId}, the old key ${oldKeyId} is still to be deleted.`,
  deletingOrphan: (newKeyId: string) => `Deleting ${newKeyId}, left behind by an interrupted rotation (its secret was never stored).`,
  created: (newKeyId: string, userName: string) => `Created access key ${newKeyId} for ${userName}; waiting until AWS accepts it.`,
  deletingOld: (oldKeyId: string) => `Deleting the old key ${oldKeyId}.`,
};

/** Warnings for `logger.warn`: things that went wrong without failing the rotation. */
export const warning = {
  journal: (verb: 'update' | 'remove', location: string, e: unknown) => `could not ${verb} the rotation journal ${location}: ${errorMessage(e)}`,
  sessionsNotCleared: (e: unknown, keyProfile: string) => `could not clear cached sessions (${errorMessage(e)}); run \`rolehop clear ${keyProfile}\`.`,
};
