import type { LoginPresenter, SsoDeps } from '../sso/types.js';
import type { CliContext } from './cli-context.js';

/** The SSO functions' dependencies from the CLI context; `present` makes the call interactive. */
export function ssoDepsFor(cli: CliContext, present?: LoginPresenter): SsoDeps {
  return {
    rolehopHome: cli.rolehopHome,
    env: cli.env,
    logger: cli.logger,
    clock: cli.clock,
    store: () => cli.store(),
    signal: cli.signal,
    ...(present ? { present } : {}),
  };
}
