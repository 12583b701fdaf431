import { join } from 'node:path';
import { SingleFlight } from '../async/single-flight.js';
import { partitionOf } from '../aws/partition.js';
import { safeSessionName } from '../config/session-name.js';
import type { AwsConfig } from '../config/aws-config.js';
import { ROLE_CHAIN_MAX_SECONDS, type HopStep, type Plan, type PlanOptions } from '../config/plan.js';
import { resolvePlan } from '../config/resolve-plan.js';
import type { Credentials } from '../credentials/types.js';
import type { Vault } from '../credentials/vault-contract.js';
import { ErrorCodes, isRolehopError, RolehopError } from '../errors.js';
import type { Context } from '../io/context.js';
import { withLock } from '../io/lock.js';
import type { SecretStore } from '../stores/contract.js';
import type { StsPort, StsTarget } from '../aws/sts-port.js';
import type { AssumeRequest, Broker, CredentialRequest, ResolvedCredentials } from './broker-contract.js';
import { loadDataKey } from './data-key.js';
import { obtainMfaCode } from './mfa.js';
import { SessionCache, type SessionMeta } from './session-cache.js';
import { DEFAULT_MIN_TTL_SECONDS } from './session-ttl.js';
import { sessionCopyMirror } from './session-copy-mirror.js';
import type { SessionMirror } from './session-mirror.js';
import { assumeKey, planKeys, type PlanKeys } from './session-keys.js';
import { sourceIdentity } from './step-inputs.js';
import type { LoginPresenter } from '../sso/types.js';
import { UncachedSessions } from './uncached-sessions.js';

/** Waiters may queue behind a person typing an MFA code: be patient. */
const LOCK_OPTIONS = { timeoutMs: 5 * 60_000 };

/** What a broker is built from. Everything is injected; nothing is global. */
export interface BrokerDeps {
  ctx: Context;
  /** The parsed AWS config (called on each plan so tests can swap it). */
  config: () => AwsConfig;
  vault: Vault & { meta?(profile: string): { accessKeyId: string } | undefined };
  /** Opens the secret store (for the cache data key). */
  store: () => Promise<SecretStore>;
  /** STS port factory; default `createStsPort` over the AWS SDK, loaded lazily. */
  sts?: (target: StsTarget) => StsPort;
  /** credential_process runner; default spawns through the shell. */
  runProcess?: (command: string, profile: string) => Promise<Credentials>;
  /**
   * Told of every session served and every clear (see `session-mirror.ts`).
   * Default: a `sessionCopyMirror` over the store's own session copies. The
   * CLI keeps copies only in a chosen keychain store, and clears them
   * wherever an earlier run may have left some, without probing for a
   * backend.
   */
  mirror?: SessionMirror;
  /**
   * Let the implicit `default` profile fall back to the instance metadata
   * service when nothing else is configured (see `config/ambient-source.ts`);
   * the library sets it, the CLI does not.
   */
  ambientImds?: boolean;
  /**
   * Shows an IAM Identity Center login (URL and code) to a person, for an
   * SSO source whose token and refresh token are both gone. Absent: such a
   * source fails with a hint to run `rolehop sso login`.
   */
  ssoPresent?: LoginPresenter;
}

interface Step {
  key: string;
  meta: Omit<SessionMeta, 'createdAt' | 'expiresAt' | 'accountId'>;
  /** Calls AWS with the upstream credentials, obtained only when asked for (an Identity Center step needs none). */
  fetch: (upstream: () => Promise<Credentials>) => Promise<Credentials>;
}

/**
 * Creates the session broker. See {@link Broker} for the contract; this
 * implementation walks a plan from its final step back towards the source:
 * a fresh cache entry ends the walk (the cache-hit path: one file read, one
 * data-key read, no AWS SDK loaded); otherwise the step's lock is taken, the
 * cache checked again (another process may just have filled it), the
 * upstream step obtained the same way, and STS called once.
 *
 * Locks are always taken from the final step towards the source, a single
 * order for every process, so chains sharing a prefix cannot deadlock.
 */
export function createBroker(deps: BrokerDeps): Broker {
  const { ctx } = deps;
  const cache = new SessionCache(join(ctx.rolehopHome, 'sessions'), ctx.logger);
  const lockDir = join(ctx.rolehopHome, 'locks');
  /** Single-flight within this process, on top of the cross-process lock. */
  const inflight = new SingleFlight<string, Credentials>();
  const mirror = deps.mirror ?? sessionCopyMirror({ copies: async () => (await deps.store()).sessionCopies, logger: ctx.logger, now: () => ctx.clock.now() });
  const memory = new Map<string, Credentials>();
  const uncached = new UncachedSessions(ctx.logger);
  /** Remote source credentials per source identity; one fetch serves every plan on the source until near expiry. */
  const remote = new Map<string, Credentials>();
  let dataKey: Promise<Buffer> | undefined;

  const getDataKey = () => {
    dataKey ??= deps.store().then((s) => loadDataKey(s, join(lockDir, 'cache-key')));
    dataKey.catch(() => {
      dataKey = undefined;
    });
    return dataKey;
  };

  /**
   * STS in the plan's own region (us-east-1 when none): the region of the
   * call that misses the cache. The cache keys name only the partition, so
   * whichever region fills a step serves the others; see planStepInputs.
   */
  const stsFor = async (plan: Plan): Promise<StsPort> => {
    const target: StsTarget = { ...(plan.region ? { region: plan.region } : {}), ...(plan.endpoints.sts ? { endpoint: plan.endpoints.sts } : {}) };
    if (deps.sts) return deps.sts(target);
    const { createStsPort } = await import('../aws/sts.js');
    return createStsPort(target);
  };

  const makePlan = (profile: string, opts: PlanOptions = {}): Plan =>
    resolvePlan(deps.config(), profile, opts, ctx.env, {
      userName: ctx.userName,
      hasStoredKey: (p) => deps.vault.has(p),
      ...(deps.ambientImds ? { ambientImds: true } : {}),
    });

  const identityOf = (plan: Plan): string =>
    sourceIdentity(plan.source, {
      storedKeyId: plan.source.kind === 'stored-key' ? deps.vault.meta?.(plan.source.profile)?.accessKeyId : undefined,
      envAccessKeyId: ctx.env.AWS_ACCESS_KEY_ID,
    });

  async function sourceCredentials(plan: Plan, ttlMs: number, force: boolean): Promise<Credentials> {
    const s = plan.source;
    if (s.kind === 'stored-key') return deps.vault.get(s.profile);
    if (s.kind === 'environment' || s.kind === 'process') {
      const { credentialsFromEnvironment, credentialsFromProcess } = await import('../credentials/from-process.js');
      if (s.kind === 'environment') return credentialsFromEnvironment(ctx.env, s.profile);
      return (deps.runProcess ?? ((c, p) => credentialsFromProcess(c, p, ctx.env)))(s.command, s.profile);
    }
    const id = identityOf(plan);
    const held = remote.get(id);
    if (!force && held?.expiration && held.expiration.getTime() - ctx.clock.now() > ttlMs) return held;
    return inflight.run(`source:${id}`, async () => {
      const fresh = await remoteSourceCredentials(plan);
      remote.set(id, fresh);
      return fresh;
    });
  }

  /** One fetch from a web identity, container or IMDS source; each fetcher is loaded only when its kind is used. */
  async function remoteSourceCredentials(plan: Plan): Promise<Credentials> {
    const s = plan.source;
    if (s.kind === 'web-identity') {
      const { credentialsFromWebIdentity } = await import('../credentials/from-web-identity.js');
      return credentialsFromWebIdentity(s, await stsFor(plan));
    }
    if (s.kind === 'container') {
      const { credentialsFromContainer } = await import('../credentials/from-container.js');
      return credentialsFromContainer(s, ctx.env);
    }
    if (s.kind === 'imds') {
      const { credentialsFromImds } = await import('../credentials/from-imds.js');
      return credentialsFromImds(s);
    }
    throw new RolehopError(ErrorCodes.INTERNAL, `source kind ${s.kind} is not a remote source`);
  }

  /** GetRoleCredentials with the session's token, renewed (or, with `deps.ssoPresent`, logged in) first when needed. */
  async function ssoRoleCredentialsOf(source: Extract<Plan['source'], { kind: 'sso' }>): Promise<Credentials> {
    const { ssoToken, ssoRoleCredentials, awsCliCacheDirFor } = await import('../sso/index.js');
    // With ROLEHOP_SSO_AWS_CLI_CACHE=1, a token renewed here is copied for the AWS CLI too, as `sso login` copies it.
    const awsCliCacheDir = awsCliCacheDirFor(ctx.env, ctx.homeDir);
    const ssoDeps = {
      rolehopHome: ctx.rolehopHome,
      env: ctx.env,
      logger: ctx.logger,
      clock: ctx.clock,
      store: deps.store,
      ...(deps.ssoPresent ? { present: deps.ssoPresent } : {}),
      ...(awsCliCacheDir ? { awsCliCacheDir } : {}),
    };
    const target = { accountId: source.accountId, roleName: source.roleName };
    const token = await ssoToken(source.session, ssoDeps);
    try {
      return await ssoRoleCredentials(token, target, ssoDeps);
    } catch (e) {
      // A token the portal refuses before its time (revoked, logged out elsewhere) is renewed once, not reported until `clear`.
      if (!isRolehopError(e) || e.code !== ErrorCodes.AWS_EXPIRED) throw e;
      return ssoRoleCredentials(await ssoToken(source.session, ssoDeps, { refused: token.accessToken }), target, ssoDeps);
    }
  }

  /** The plan's STS steps with their keys, source-side first. */
  function steps(plan: Plan, keys: PlanKeys): Step[] {
    const chain = [plan.source.profile, ...plan.hops.map((h) => h.profile)];
    const out: Step[] = [];
    const source = plan.source;
    if (source.kind === 'sso' && keys.sso) {
      out.push({
        key: keys.sso,
        meta: { kind: 'hop', profile: source.profile, profiles: chain.slice(0, 1), roleArn: `sso:${source.accountId}/${source.roleName}`, mfa: false },
        fetch: () => ssoRoleCredentialsOf(source),
      });
    }
    if (plan.session && keys.session) {
      const session = plan.session;
      out.push({
        key: keys.session,
        meta: { kind: 'session', profile: session.profile, profiles: chain.slice(0, 1), mfa: !!session.mfaSerial },
        fetch: async (upstreamOf) => {
          const upstream = await upstreamOf();
          const sts = await stsFor(plan);
          const tokenCode = session.mfaSerial
            ? await obtainMfaCode(ctx.prompter, {
                serial: session.mfaSerial,
                profile: plan.profile,
                ...(session.mfaProcess ? { mfaProcess: session.mfaProcess } : {}),
              })
            : undefined;
          const c = await sts.getSessionToken(upstream, {
            durationSeconds: session.durationSeconds,
            ...(session.mfaSerial ? { serialNumber: session.mfaSerial, tokenCode } : {}),
          });
          // GetSessionToken answers with the caller's own account.
          return { ...c, ...(upstream.accountId ? { accountId: upstream.accountId } : {}) };
        },
      });
    }
    plan.hops.forEach((hop: HopStep, i) => {
      out.push({
        key: keys.hops[i]!,
        meta: { kind: 'hop', profile: hop.profile, profiles: chain.slice(0, i + 2), roleArn: hop.roleArn, mfa: !!hop.mfaSerial || !!plan.session?.mfaSerial },
        fetch: async (upstreamOf) => {
          const upstream = await upstreamOf();
          const sts = await stsFor(plan);
          const tokenCode = hop.mfaSerial
            ? await obtainMfaCode(ctx.prompter, { serial: hop.mfaSerial, profile: hop.profile, ...(hop.mfaProcess ? { mfaProcess: hop.mfaProcess } : {}) })
            : undefined;
          return sts.assumeRole(upstream, {
            roleArn: hop.roleArn,
            roleSessionName: hop.roleSessionName,
            durationSeconds: hop.durationSeconds,
            ...(hop.externalId ? { externalId: hop.externalId } : {}),
            ...(hop.mfaSerial ? { serialNumber: hop.mfaSerial, tokenCode } : {}),
          });
        },
      });
    });
    return out;
  }

  async function obtain(plan: Plan, all: Step[], index: number, minTtlMs: number, force: boolean): Promise<{ credentials: Credentials; fromCache: boolean }> {
    // The source only has to outlive the first step's call, unless it is the result itself.
    if (index < 0) return { credentials: await sourceCredentials(plan, all.length === 0 ? minTtlMs : 60_000, force && all.length === 0), fromCache: false };
    const step = all[index]!;
    // Upstream steps only need to outlive the call that uses them.
    const ttl = index === all.length - 1 ? minTtlMs : 60_000;
    const held = force ? undefined : uncached.get(step.key, ctx.clock.now(), ttl);
    if (held) return { credentials: held, fromCache: true };
    if (!force && cache.isFresh(step.key, ctx.clock.now(), ttl)) {
      const hit = cache.read(step.key, await getDataKey(), ctx.clock.now(), ttl);
      if (hit) return { credentials: hit, fromCache: true };
    }
    const credentials = await inflight.run(step.key, () =>
      withLock(
        join(lockDir, step.key),
        async () => {
          // Another process may have refreshed while we waited for the lock.
          if (!force && cache.isFresh(step.key, ctx.clock.now(), ttl)) {
            const hit = cache.read(step.key, await getDataKey(), ctx.clock.now(), ttl);
            if (hit) return hit;
          }
          const fresh = await step.fetch(async () => (await obtain(plan, all, index - 1, minTtlMs, false)).credentials);
          await save(step, fresh);
          return fresh;
        },
        LOCK_OPTIONS,
      ),
    );
    return { credentials, fromCache: false };
  }

  /**
   * Caches what STS just issued. Never rejects: the credentials may have cost
   * a single-use MFA code, so a failed write (full disk, read-only home, a
   * data key that cannot be stored) must not lose them; they are held in
   * memory instead, with a warning. Only the user's own Ctrl-C (at a
   * passphrase prompt for the data key) still stops the command.
   */
  async function save(step: Step, fresh: Credentials): Promise<void> {
    const now = ctx.clock.now();
    const expiresAt = fresh.expiration?.getTime() ?? now + 3600_000;
    try {
      const meta: SessionMeta = {
        ...step.meta,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(expiresAt).toISOString(),
        ...(fresh.accountId ? { accountId: fresh.accountId } : {}),
      };
      await cache.write(step.key, meta, fresh, await getDataKey());
      uncached.stored(step.key);
    } catch (e) {
      if (isRolehopError(e) && e.code === ErrorCodes.ABORTED) throw e;
      uncached.keep(step.key, step.meta, fresh, expiresAt, e);
    }
  }

  async function credentials(profile: string, req: CredentialRequest = {}): Promise<ResolvedCredentials> {
    const plan = makePlan(profile, req);
    for (const w of plan.warnings) ctx.logger.warn(w);
    const identity = identityOf(plan);
    const keys = planKeys(plan, identity);
    const all = steps(plan, keys);
    const minTtlMs = (req.minTtlSeconds ?? DEFAULT_MIN_TTL_SECONDS) * 1000;
    const r = await obtain(plan, all, all.length - 1, minTtlMs, !!req.forceRefresh);
    if (all.length > 0) await mirror.save({ plan, identity, credentials: r.credentials, fromCache: r.fromCache });
    return { credentials: r.credentials, plan, fromCache: r.fromCache };
  }

  async function assumeRole(req: AssumeRequest): Promise<Credentials> {
    const base = await credentials(req.sourceProfile, req.minTtlSeconds !== undefined ? { minTtlSeconds: req.minTtlSeconds } : {});
    const keys = planKeys(base.plan, identityOf(base.plan));
    const chained = !!base.credentials.sessionToken;
    const duration = Math.min(req.durationSeconds ?? ROLE_CHAIN_MAX_SECONDS, chained ? ROLE_CHAIN_MAX_SECONDS : 43_200);
    const sessionName = req.roleSessionName ?? base.plan.hops.at(-1)?.roleSessionName ?? safeSessionName(`rolehop-${ctx.userName}`);
    // The partition, not the region, as for a plan's own steps: the role session serves every region of it.
    const partition = partitionOf(req.region ?? base.plan.region);
    const key = assumeKey(keys.final ?? keys.source, { roleArn: req.roleArn, sessionName, externalId: req.externalId, duration, partition });
    const minTtlMs = (req.minTtlSeconds ?? DEFAULT_MIN_TTL_SECONDS) * 1000;
    const plan: Plan = { ...base.plan, ...(req.region ? { region: req.region } : {}) };
    const fetch = async (): Promise<Credentials> => {
      const sts = await stsFor(plan);
      return sts.assumeRole(base.credentials, {
        roleArn: req.roleArn,
        roleSessionName: sessionName,
        durationSeconds: duration,
        ...(req.externalId ? { externalId: req.externalId } : {}),
      });
    };
    if (req.persist === false) {
      const held = memory.get(key);
      if (held?.expiration && held.expiration.getTime() - ctx.clock.now() > minTtlMs) return held;
      return inflight.run(key, async () => {
        const c = await fetch();
        memory.set(key, c);
        return c;
      });
    }
    const step: Step = {
      key,
      meta: {
        kind: 'assume',
        profile: req.sourceProfile,
        profiles: [base.plan.source.profile, ...base.plan.hops.map((h) => h.profile)],
        roleArn: req.roleArn,
        mfa: base.plan.session?.mfaSerial !== undefined,
      },
      fetch,
    };
    const r = await obtain(plan, [step], 0, minTtlMs, false);
    return r.credentials;
  }

  return {
    plan: makePlan,
    credentials,
    async sessionCredentials(profile, req) {
      // The credentials a profile stands for are what assumes further roles:
      // the MFA session for a key profile, the role session for a role profile.
      return credentials(profile, req);
    },
    assumeRole,
    async storedKey(profile) {
      const plan = makePlan(profile, { noSession: true });
      if (plan.source.kind !== 'stored-key') {
        throw new RolehopError(ErrorCodes.NO_STORED_KEY, `Profile "${profile}" has no stored long-lived key (its source is ${plan.source.kind})`, {
          hint: `Store one with \`rolehop add ${plan.source.profile}\`.`,
        });
      }
      return deps.vault.get(plan.source.profile);
    },
    async clearSessions(profile) {
      memory.clear();
      remote.clear();
      const names = (m: { profile: string; profiles: string[] }) => profile === undefined || m.profile === profile || m.profiles.includes(profile);
      uncached.clear(names);
      const n = cache.remove(names);
      try {
        await mirror.forget(profile);
      } catch (e) {
        // The cache entries are gone; the copies stay usable until they expire, so say so.
        ctx.logger.warn(
          `${(e as Error).message}: the session copies there stay valid until they expire. Run \`rolehop clear${profile === undefined ? '' : ` ${profile}`}\` again once the keychain answers.`,
        );
      }
      return n;
    },
  };
}
