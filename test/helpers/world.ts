// The world most integration suites start in: moto, optionally the counting
// proxy in front of it, the IAM user alice with MFA, target accounts, a
// sandbox HOME and the CLI environment pointing at it all. One stop() ends it.
import assert from 'node:assert/strict';
import { startMoto, type MotoServer, type StartMotoOptions } from './moto.js';
import { startCountingProxy, type CountingProxy, type CountingProxyOptions } from './counting-proxy.js';
import { makeSandbox, type Sandbox } from './sandbox.js';
import { createTargetAccounts, ensureBuilt, runCli, seedMotoIdentity, type MotoIdentity } from './run-cli.js';

/** Options for {@link startWorld}; the defaults give moto, alice and a sandbox. */
export interface WorldOptions {
  /** Bundle dist/cli.cjs first (ensureBuilt); default true. */
  build?: boolean;
  moto?: StartMotoOptions;
  /** Start the counting proxy in front of moto (`true` or its options); `env` then points at the proxy. */
  proxy?: boolean | CountingProxyOptions;
  /** Seed the IAM user alice with MFA (seedMotoIdentity); default true. */
  identity?: boolean;
  /** Member accounts to create (createTargetAccounts); default 0. */
  targets?: number;
  /** Make a sandbox HOME; default true. */
  sandbox?: boolean;
  /** Extra variables for `env` on top of `sandbox.env()` and `AWS_ENDPOINT_URL`. */
  env?: Record<string, string | undefined>;
  /** Options for `sandbox.env()`, e.g. `{ dbus: true }` for the keychain. */
  envOptions?: { dbus?: boolean };
}

/** What {@link startWorld} started. A part not asked for throws when read. */
export interface World {
  moto: MotoServer;
  proxy: CountingProxy;
  alice: MotoIdentity;
  /** Ids of the target accounts, in creation order. */
  accounts: string[];
  box: Sandbox;
  /** The CLI's environment: `box.env()` with `AWS_ENDPOINT_URL` = the proxy if any, else moto. */
  env: Record<string, string>;
  /** The endpoint `env` uses (the proxy's URL if started, else moto's). */
  endpoint: string;
  /**
   * Stores alice's access key as profile `profile` (default `alice`):
   * `rolehop add <profile> --env`, asserting it exits 0. Call after writing
   * the config. `cli` runs another CLI bundle (see RunCliOptions.cli).
   */
  storeKey(opts?: { profile?: string; cli?: string }): Promise<void>;
  /**
   * Writes the config most role tests need: `[profile alice]` (us-east-1,
   * alice's MFA device, `mfa_process` when given, else the code is asked on
   * the terminal) and per entry of `roles` a profile assuming
   * OrganizationAccountAccessRole in that account from alice.
   */
  writeRoleConfig(roles: Record<string, string>, opts?: { mfaProcess?: string }): void;
  /** Stops the proxy and moto and deletes the sandbox, whatever started. Safe to call twice. */
  stop(): Promise<void>;
}

function missing(part: string): never {
  throw new Error(`startWorld: no ${part} in this world (ask for it in the options)`);
}

/**
 * Starts the parts in the order the suites need them (moto, proxy, alice,
 * accounts, sandbox). If a step fails, what already started is stopped
 * before the error is rethrown.
 */
export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  let moto: MotoServer | undefined;
  let proxy: CountingProxy | undefined;
  let box: Sandbox | undefined;
  let alice: MotoIdentity | undefined;
  let accounts: string[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await proxy?.stop();
      await moto?.stop();
      await box?.cleanup();
    })());
  try {
    if (opts.build ?? true) await ensureBuilt();
    moto = await startMoto(opts.moto);
    if (opts.proxy) proxy = await startCountingProxy(moto.url, opts.proxy === true ? {} : opts.proxy);
    if (opts.identity ?? true) alice = await seedMotoIdentity(moto.url);
    if (opts.targets) accounts = await createTargetAccounts(moto.url, opts.targets);
    if (opts.sandbox ?? true) box = await makeSandbox();
  } catch (e) {
    await stop();
    throw e;
  }
  const endpoint = proxy?.url ?? moto.url;
  const env = box ? box.env({ AWS_ENDPOINT_URL: endpoint, ...opts.env }, opts.envOptions) : undefined;
  return {
    moto,
    get proxy() {
      return proxy ?? missing('counting proxy');
    },
    get alice() {
      return alice ?? missing('identity');
    },
    accounts,
    get box() {
      return box ?? missing('sandbox');
    },
    get env() {
      return env ?? missing('sandbox (so no env)');
    },
    endpoint,
    async storeKey({ profile = 'alice', cli } = {}) {
      const id = alice ?? missing('identity');
      const add = await runCli(['add', profile, '--env'], {
        cli,
        env: { ...(env ?? missing('sandbox')), AWS_ACCESS_KEY_ID: id.accessKeyId, AWS_SECRET_ACCESS_KEY: id.secretAccessKey },
      });
      assert.equal(add.code, 0, add.stderr);
    },
    writeRoleConfig(roles, { mfaProcess } = {}) {
      const id = alice ?? missing('identity');
      const lines = ['[profile alice]', 'region = us-east-1', `mfa_serial = ${id.mfaSerial}`, ...(mfaProcess ? [`mfa_process = ${mfaProcess}`] : []), ''];
      for (const [name, accountId] of Object.entries(roles)) {
        lines.push(`[profile ${name}]`, `role_arn = arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, 'source_profile = alice', '');
      }
      (box ?? missing('sandbox')).writeConfig(lines.join('\n'));
    },
    stop,
  };
}
