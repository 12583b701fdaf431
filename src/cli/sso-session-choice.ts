import { loadSsoSessions } from '../config/load-sso-sessions.js';
import { isSsoProfile, resolveSsoSession, ssoProfile, type SsoSession } from '../config/sso-settings.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { CliContext } from './cli-context.js';

/**
 * The Identity Center session a `sso` command acts on: `--session NAME`,
 * else `--profile NAME`'s, else the only `[sso-session]` of the config, else
 * that of AWS_PROFILE when it is an SSO profile. ERR_USAGE (naming the
 * sessions there are) when none of these decides.
 */
export function chooseSsoSession(cli: CliContext, opts: { session?: string; profile?: string }): SsoSession {
  if (opts.session !== undefined && opts.profile !== undefined) {
    throw new RolehopError(ErrorCodes.USAGE, '--session and --profile cannot be combined', { hint: 'Name the sso-session, or a profile that uses it.' });
  }
  const config = cli.config();
  const sessions = loadSsoSessions(config.path);
  if (opts.session !== undefined) return resolveSsoSession(sessions, opts.session, config.path);
  if (opts.profile !== undefined) return ssoProfile(config, sessions, opts.profile).session;
  if (sessions.size === 1) return resolveSsoSession(sessions, [...sessions.keys()][0]!, config.path);
  const envProfile = cli.env.AWS_PROFILE;
  const section = envProfile ? config.profiles.get(envProfile) : undefined;
  if (envProfile && section && isSsoProfile(section)) return ssoProfile(config, sessions, envProfile).session;
  const names = [...sessions.keys()];
  throw new RolehopError(ErrorCodes.USAGE, names.length ? 'Which sso-session? The config has several' : `There is no [sso-session] section in ${config.path}`, {
    hint: names.length
      ? `Pass --session with one of: ${names.join(', ')}.`
      : 'Add [sso-session NAME] with sso_start_url and sso_region, or pass --profile for a profile with sso_start_url.',
  });
}
