import { awsCliCacheDirFor } from '../sso/aws-cli-cache.js';
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
    ...cacheDir(cli),
  };
}

/** Opt-in: the AWS CLI's copy of the token is plain text. */
function cacheDir(cli: CliContext): { awsCliCacheDir?: string } {
  const dir = awsCliCacheDirFor(cli.env, cli.homeDir);
  return dir ? { awsCliCacheDir: dir } : {};
}
