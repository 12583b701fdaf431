/**
 * Turns a profile of the AWS config into a {@link Plan}: which source, which
 * GetSessionToken, which AssumeRole hops. Pure: no I/O, no clock, no env
 * reads beyond the `env` argument. The walk to the source is in
 * profile-chain.ts, the choice of MFA device in plan-mfa.ts.
 */
import { ErrorCodes, RolehopError } from '../errors.js';
import type { AwsConfig } from './aws-config.js';
import { ambientChain } from './ambient-source.js';
import { resolveEndpoints } from './endpoints.js';
import { DEFAULT_SESSION_SECONDS, ROLE_CHAIN_MAX_SECONDS, type HopStep, type Plan, type PlanOptions, type SessionStep } from './plan.js';
import { chooseMfa } from './plan-mfa.js';
import { walkChain, type Named, type PlanContext } from './profile-chain.js';
import { parseDuration, profileValue, ROLE_DURATION_RANGE, SESSION_DURATION_RANGE } from './profile-values.js';
import { defaultRoleSessionName } from './session-name.js';

export type { PlanContext } from './profile-chain.js';

type Env = Readonly<Record<string, string | undefined>>;

export { defaultRoleSessionName } from './session-name.js';

/**
 * Resolves `profile` into a {@link Plan}.
 *
 * Chain: a profile with `role_arn` needs exactly one of `source_profile`
 * (any depth; `source_profile` naming the profile itself means "its own
 * stored key, then its role") or `credential_source = Environment`. The chain
 * ends at a profile without `role_arn`, whose credentials are its
 * `credential_process`, else its key in the vault. As in the AWS SDKs, a
 * profile reached through `source_profile` also ends the chain, its
 * `role_arn` not assumed (with a warning), when it has a stored key, or a
 * `credential_process` and nothing to assume its role with. Keys written in
 * the config file are never used. Keys other tools act on and rolehop
 * ignores (`include_profile`, `sso_*`, ...) are named in warnings. A profile absent from the config but present in the
 * vault is a plain key profile. `[default]` is not inherited.
 *
 * MFA ("one code for many roles", as aws-vault): the serial is the first
 * `mfa_serial` found walking from the source profile towards the target;
 * `mfa_process` is the one nearest the target among profiles naming that
 * serial or none (a target's own wins over its source's).
 * - Stored-key source, serial, hops: one GetSessionToken with MFA (duration
 *   `session_duration` of the source profile, else
 *   {@link DEFAULT_SESSION_SECONDS}), then every hop is chained and capped at
 *   {@link ROLE_CHAIN_MAX_SECONDS} (with a warning when more was asked).
 *   Exception: when the first hop asks for more than 1 h (its
 *   `duration_seconds`, or `opts.durationSeconds` on a single-hop plan), or
 *   with `opts.noSession`, no session: the first hop sends the MFA itself.
 * - Stored-key source, no serial, hops: the first hop uses the long-lived key.
 * - Stored-key source, no hops: a GetSessionToken (with MFA when a serial is
 *   set) so a child never receives the long-lived key, unless `noSession`.
 *   Its duration is `opts.durationSeconds`, else `session_duration`, else the default.
 * - Process or environment source: no session; the serial goes on the first hop.
 *
 * Hops: `role_session_name` (default {@link defaultRoleSessionName}),
 * `external_id` and `duration_seconds` (default 3600) from each hop's own
 * profile; `opts.durationSeconds` overrides the final hop.
 *
 * Region: `opts.region`, else the nearest `region` walking from the target
 * towards the source, else `AWS_REGION`, else `AWS_DEFAULT_REGION`.
 * Endpoints: see `resolveEndpoints` (target profile's settings).
 *
 * Errors: ERR_PROFILE_NOT_FOUND (with close names), ERR_PROFILE_CYCLE (with
 * the chain), ERR_PROFILE_INVALID (malformed or unsupported settings),
 * ERR_NO_STORED_KEY, ERR_USAGE (bad `opts.durationSeconds`).
 */
export function resolvePlan(config: AwsConfig, profile: string, opts: PlanOptions, env: Env, ctx: PlanContext): Plan {
  const warnings: string[] = [];
  const { target, roles, sourceProfile: sourceNamed, source } = ambientChain(config, profile, env, ctx) ?? walkChain(config, profile, ctx, warnings, env);

  // Source-first list of distinct profiles: where MFA settings are looked up.
  const chain: Named[] = [];
  for (const n of [sourceNamed, ...roles]) if (!chain.some((c) => c.name === n.name)) chain.push(n);
  const chosen = chooseMfa(config, chain, warnings);
  const mfa = chosen?.settings;
  const mfaFrom = chosen?.from;

  if (opts.durationSeconds !== undefined) {
    const range = roles.length ? ROLE_DURATION_RANGE : SESSION_DURATION_RANGE;
    if (!Number.isSafeInteger(opts.durationSeconds) || opts.durationSeconds < range.min || opts.durationSeconds > range.max) {
      throw new RolehopError(ErrorCodes.USAGE, `Duration ${opts.durationSeconds}s is out of range`, {
        hint: `Give a whole number of seconds from ${range.min} to ${range.max}.`,
      });
    }
  }
  const requested = (i: number): number | undefined => {
    if (i === roles.length - 1 && opts.durationSeconds !== undefined) return opts.durationSeconds;
    const v = profileValue(roles[i]!.section, 'duration_seconds');
    return v === undefined ? undefined : parseDuration(roles[i]!.name, config.path, 'duration_seconds', v, ROLE_DURATION_RANGE);
  };
  const sessionDuration = (): number => {
    const v = profileValue(sourceNamed.section, 'session_duration');
    return v === undefined ? DEFAULT_SESSION_SECONDS : parseDuration(sourceNamed.name, config.path, 'session_duration', v, SESSION_DURATION_RANGE);
  };

  let session: SessionStep | undefined;
  let firstHopMfa = false;
  let firstHopChained = false;
  if (source.kind === 'stored-key') {
    if (roles.length === 0) {
      if (!opts.noSession) session = { profile: source.profile, ...mfa, durationSeconds: opts.durationSeconds ?? sessionDuration() };
    } else if (mfa && !opts.noSession && (requested(0) ?? ROLE_CHAIN_MAX_SECONDS) <= ROLE_CHAIN_MAX_SECONDS) {
      session = { profile: source.profile, ...mfa, durationSeconds: sessionDuration() };
      firstHopChained = true;
    } else {
      firstHopMfa = !!mfa;
    }
  } else {
    firstHopMfa = !!mfa;
  }

  const hops: HopStep[] = roles.map((r, i) => {
    const roleSessionName = profileValue(r.section, 'role_session_name') ?? defaultRoleSessionName(ctx.userName);
    const externalId = profileValue(r.section, 'external_id');
    let durationSeconds = requested(i) ?? ROLE_CHAIN_MAX_SECONDS;
    if ((i > 0 || firstHopChained) && durationSeconds > ROLE_CHAIN_MAX_SECONDS) {
      warnings.push(
        `Profile "${r.name}": duration ${durationSeconds}s capped to ${ROLE_CHAIN_MAX_SECONDS}s, because AWS limits a role assumed with temporary credentials (role chaining) to 1 hour.`,
      );
      durationSeconds = ROLE_CHAIN_MAX_SECONDS;
    }
    return {
      profile: r.name,
      roleArn: profileValue(r.section, 'role_arn')!,
      roleSessionName,
      ...(externalId !== undefined ? { externalId } : {}),
      durationSeconds,
      ...(i === 0 && firstHopMfa ? mfa : {}),
    };
  });

  if (mfa && !session?.mfaSerial && !hops[0]?.mfaSerial) {
    warnings.push(`Profile "${mfaFrom!.name}": mfa_serial is not used${opts.noSession ? ' with --no-session' : ''}: no STS call of this plan can send it.`);
  }

  const region =
    opts.region ??
    [...chain]
      .reverse()
      .map((n) => profileValue(n.section, 'region'))
      .find((r) => r !== undefined) ??
    nonEmpty(env.AWS_REGION) ??
    nonEmpty(env.AWS_DEFAULT_REGION);

  return {
    profile,
    ...(region !== undefined ? { region } : {}),
    source,
    ...(session ? { session } : {}),
    hops,
    endpoints: resolveEndpoints(config, profile, target.section, env),
    warnings,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
