import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { AwsConfig, ProfileSection } from './aws-config.js';
import { parseIni, type IniSection } from './parse-ini.js';

/** Profile, services and sso-session names rolehop accepts (docs/aws-behaviour.md, "Config file: section names"): what SDK v3 also understands. */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9_.@+%:/-]+$/;

/** Reads a text file; returns undefined when it does not exist. */
export type ReadTextFile = (path: string) => string | undefined;

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Where the AWS config file is: `AWS_CONFIG_FILE` (a leading `~/` expanded to
 * `homeDir`, as SDK v3 does; no `$VAR` expansion) or `~/.aws/config`.
 */
export function awsConfigPath(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const configured = env.AWS_CONFIG_FILE;
  if (!configured) return join(homeDir, '.aws', 'config');
  return configured.startsWith('~/') ? join(homeDir, configured.slice(2)) : configured;
}

/**
 * Reads and parses the AWS config file (see {@link awsConfigPath}). A missing
 * file is an empty config; an unreadable or malformed one is
 * `ERR_CONFIG_PARSE` with file, line and hint.
 *
 * - `[default]` and `[profile default]` both name profile `default`; when both
 *   exist the later section wins whole (botocore), and a warning is recorded.
 * - `[profile NAME]`, `[services NAME]` and `[sso-session NAME]` names must
 *   match {@link PROFILE_NAME_PATTERN}.
 * - `[sso-session]` and unknown sections are ignored; `[default]` keys are
 *   NOT inherited by other profiles (AWS CLI semantics, unlike aws-vault), so
 *   a profile means the same thing to rolehop and to the AWS CLI.
 * - `~/.aws/credentials` is never read: rolehop keeps long-lived keys only in
 *   its vault.
 *
 * @param readFile injectable for tests; default reads UTF-8 from disk.
 */
export function loadAwsConfig(env: Readonly<Record<string, string | undefined>>, homeDir: string, readFile: ReadTextFile = readIfExists): AwsConfig {
  const path = awsConfigPath(env, homeDir);
  let text: string | undefined;
  try {
    text = readFile(path);
  } catch (e) {
    throw new RolehopError(ErrorCodes.CONFIG_PARSE, `Cannot read AWS config file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, {
      hint: 'Check the file permissions, or point AWS_CONFIG_FILE at a readable file.',
      cause: e,
    });
  }
  if (text === undefined) return { path, profiles: new Map(), services: new Map(), warnings: [] };
  return buildConfig(parseIni(text, path), path);
}

/** Turns parsed sections into an {@link AwsConfig}; exported for tests and for callers that already hold the text. */
export function buildConfig(sections: readonly IniSection[], path: string): AwsConfig {
  const profiles = new Map<string, ProfileSection>();
  const services = new Map<string, ProfileSection>();
  const warnings: string[] = [];
  let defaultFrom: IniSection | undefined;

  for (const s of sections) {
    if (s.kind === 'other') continue;
    if (!PROFILE_NAME_PATTERN.test(s.name)) {
      throw new RolehopError(ErrorCodes.CONFIG_PARSE, `${path}, line ${s.line}: invalid ${s.kind} name "${s.name}"`, {
        hint: 'Names use only letters, digits and _ . @ + % : / - (no spaces or quotes).',
        details: { file: path, line: s.line },
      });
    }
    if (s.kind === 'services') services.set(s.name, s.entries);
    if (s.kind !== 'default' && s.kind !== 'profile') continue;
    if (s.name === 'default') {
      if (defaultFrom) {
        warnings.push(
          `${path}: both [${defaultFrom.header}] (line ${defaultFrom.line}) and [${s.header}] (line ${s.line}) define profile "default"; the later one is used, as the AWS CLI does. Keep only [default].`,
        );
      }
      defaultFrom = s;
    }
    profiles.set(s.name, s.entries);
  }
  return { path, profiles, services, warnings };
}
