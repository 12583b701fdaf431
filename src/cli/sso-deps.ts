import { join } from 'node:path';
import type { LoginPresenter, SsoDeps } from '../sso/types.js';
import type { CliContext } from './cli-context.js';

/**
 * The SSO functions' dependencies from the CLI context; `present` makes the
 * call interactive. `ROLEHOP_SSO_AWS_CLI_CACHE=1` also writes the token where
 * the AWS CLI reads it.
 */
export function ssoDepsFor(cli: CliContext, present?: LoginPresenter): SsoDeps {
  return {
    rolehopHome: cli.rolehopHome,
    env: cli.env,
    logger: cli.logger,
    clock: cli.clock,
    store: () => cli.store(),
    signal: cli.signal,
    ...(present ? { present } : {}),
    // Opt-in: the AWS CLI's copy of the token is plain text.
    ...(cli.env.ROLEHOP_SSO_AWS_CLI_CACHE === '1' ? { awsCliCacheDir: join(cli.homeDir, '.aws', 'sso', 'cache') } : {}),
  };
}
