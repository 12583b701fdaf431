import { join } from 'node:path';
import { loadAwsConfig } from '../config/load-config.js';
import type { AwsConfig } from '../config/aws-config.js';
import { StoreVault } from '../credentials/vault.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { resolveLocations } from '../io/locations.js';
import { assertTrustedHome } from '../io/private-path.js';
import { silentLogger, systemClock, type Context, type Logger, type MfaRequest } from '../io/context.js';
import { createBroker } from '../sessions/broker.js';
import type { Broker } from '../sessions/broker-contract.js';
import type { SecretStore, StoreKind } from '../stores/contract.js';

/** Options of {@link createDefaultBroker}; every field has a default from the process. */
export interface DefaultBrokerOptions {
  /** Environment snapshot; default `process.env` at call time. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Answers MFA requests (a library has no terminal); default fails with ERR_MFA_UNAVAILABLE. */
  mfaCode?: (req: MfaRequest) => Promise<string>;
  /** File vault passphrase; default `ROLEHOP_FILE_PASSPHRASE`, else ERR_VAULT_NO_PASSPHRASE. */
  passphrase?: () => Promise<string>;
  /** Secret store backend; default `ROLEHOP_BACKEND`, else the remembered or probed one. */
  backend?: StoreKind;
  logger?: Logger;
}

/**
 * A Broker configured the way the CLI is (same ROLEHOP_HOME, config file,
 * vault and session cache), for services and scripts. This is the library's
 * edge: the one place outside `cli/` that reads the process environment, and
 * only when the caller does not pass `env`.
 *
 * Throws ERR_UNSAFE_PERMISSIONS, as the CLI does, for a ROLEHOP_HOME that
 * another user can write to.
 *
 * A cached MFA session made by `rolehop exec` is reused, so a script started
 * from a terminal where the user already typed a code needs no code at all.
 *
 * The profile `default`, when neither the config nor the vault has it and
 * `AWS_PROFILE` is unset, stands for what the environment offers, in the SDK
 * default chain's order minus the shared files: access key variables, web
 * identity (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`), the container
 * endpoint, then the instance metadata service.
 */
export function createDefaultBroker(opts: DefaultBrokerOptions = {}): Broker {
  const env = opts.env ?? { ...process.env };
  const { homeDir, rolehopHome, userName } = resolveLocations(env);
  assertTrustedHome(rolehopHome);
  const logger = opts.logger ?? silentLogger;
  const ctx: Context = {
    env,
    homeDir,
    rolehopHome,
    userName,
    clock: systemClock,
    logger,
    prompter: {
      mfaCode:
        opts.mfaCode ??
        (async (req) => {
          throw new RolehopError(ErrorCodes.MFA_UNAVAILABLE, `Profile "${req.profile}" needs an MFA code and no mfaCode callback was given`, {
            hint: 'Pass { mfaCode } to createDefaultBroker, set mfa_process in the profile, or open the session first with `rolehop exec`.',
          });
        }),
      passphrase: async () => {
        if (opts.passphrase) return opts.passphrase();
        if (env.ROLEHOP_FILE_PASSPHRASE) return env.ROLEHOP_FILE_PASSPHRASE;
        throw new RolehopError(ErrorCodes.VAULT_NO_PASSPHRASE, 'The file vault needs a passphrase', {
          hint: 'Set ROLEHOP_FILE_PASSPHRASE or pass { passphrase }.',
        });
      },
      text: async () => {
        throw new RolehopError(ErrorCodes.USAGE, 'The library cannot prompt', { hint: 'Use the CLI for interactive commands.' });
      },
    },
  };
  const kind = opts.backend ?? (env.ROLEHOP_BACKEND as StoreKind | undefined);
  let store: Promise<SecretStore> | undefined;
  const openStore = () =>
    (store ??= import('../stores/open-store.js').then(({ openStore: open }) =>
      open({
        ...(kind ? { kind } : {}),
        rolehopHome,
        ...(env.DBUS_SESSION_BUS_ADDRESS ? { dbusAddress: env.DBUS_SESSION_BUS_ADDRESS } : {}),
        getPassphrase: () => ctx.prompter.passphrase({ purpose: 'unlock', path: join(rolehopHome, 'vault') }),
        logger,
      }),
    ));
  let backend: StoreKind = kind ?? 'file';
  const vault = new StoreVault(
    rolehopHome,
    async () => {
      const s = await openStore();
      backend = s.kind;
      return s;
    },
    () => backend,
  );
  let config: AwsConfig | undefined;
  // With no profile configured, the SDK default chain's sources (files aside) apply, IMDS included: a Lambda, pod or instance just works.
  return createBroker({ ctx, config: () => (config ??= loadAwsConfig(env, homeDir)), vault, store: openStore, ambientImds: true });
}
