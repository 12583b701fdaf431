/**
 * "Ambient" credentials: what the machine a command runs on offers when no
 * profile was chosen and none is configured (a CI job with OIDC, a pod with
 * IRSA, an ECS task, a Lambda, an EC2 instance). Pure: decided from the
 * `env` argument, the config and the vault's profile names.
 */
import type { AwsConfig } from './aws-config.js';
import { containerSource, hasContainerVariables } from './container-source.js';
import { imdsDisabled, imdsSource } from './imds-source.js';
import type { SourceStep } from './plan.js';
import type { PlanContext, ProfileChain } from './profile-chain.js';
import { hasWebIdentityVariables, webIdentityFromEnv } from './web-identity-source.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The profile name commands fall back to; the only one that may stand for ambient credentials. */
export const DEFAULT_PROFILE = 'default';

/**
 * The source the SDK default chain would find in `env`, minus the shared
 * files, in its order: access keys, web identity, the container endpoint,
 * and IMDS only when `withImds` (a laptop has no IMDS, and asking costs a
 * timeout). Undefined when there is none.
 */
export function ambientSource(profile: string, env: Env, userName: string, withImds: boolean): SourceStep | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return { kind: 'environment', profile };
  if (hasWebIdentityVariables(env)) return webIdentityFromEnv(profile, env, userName);
  if (hasContainerVariables(env)) return containerSource(profile, env);
  if (withImds && !imdsDisabled(env)) return imdsSource(profile, {}, env);
  return undefined;
}

/**
 * The chain of the implicit default: when `profile` is `default`,
 * `AWS_PROFILE` is unset, and neither the config nor the vault has a
 * `default` profile, the ambient source ({@link ambientSource}, with IMDS
 * when `ctx.ambientImds`) with no hops. Undefined otherwise, and then the
 * normal walk applies (and says the profile is missing).
 */
export function ambientChain(config: AwsConfig, profile: string, env: Env, ctx: PlanContext): ProfileChain | undefined {
  if (profile !== DEFAULT_PROFILE || env.AWS_PROFILE) return undefined;
  if (config.profiles.has(profile) || ctx.hasStoredKey(profile)) return undefined;
  const source = ambientSource(profile, env, ctx.userName, !!ctx.ambientImds);
  if (!source) return undefined;
  const named = { name: profile, section: {} };
  return { target: named, roles: [], sourceProfile: named, source };
}
