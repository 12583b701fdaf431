import { noBrowserReason } from '../console/browser-available.js';
import type { LoginPresenter } from '../sso/types.js';
import type { CliContext } from './cli-context.js';

/**
 * Shows an Identity Center login on stderr (the URL and, for the device
 * flow, the code to confirm) and opens the browser on it when `browser` is
 * set, stderr is a terminal and a browser can start (the console's opener,
 * honouring ROLEHOP_BROWSER_COMMAND). A browser that fails to start is a
 * warning: the printed URL still works. Nothing shown is a secret.
 */
export function ssoPresenter(cli: CliContext, opts: { browser: boolean }): LoginPresenter {
  return async (prompt) => {
    const url = prompt.kind === 'device' ? (prompt.verificationUriComplete ?? prompt.verificationUri) : prompt.url;
    if (prompt.kind === 'device') {
      const until = prompt.expiresAt.toISOString().slice(11, 16);
      cli.stderr.write(
        `To sign in to IAM Identity Center, open\n  ${url}\nand confirm that it shows the code\n  ${prompt.userCode}\n(valid until ${until} UTC).\n`,
      );
    } else {
      cli.stderr.write(`To sign in to IAM Identity Center, open\n  ${url}\nin a browser on this machine.\n`);
    }
    const browserCommand = cli.env.ROLEHOP_BROWSER_COMMAND;
    if (opts.browser && cli.tty.stderr && (browserCommand || !noBrowserReason(cli.env, process.platform))) {
      const { openUrl } = await import('../console/open-url.js');
      try {
        await openUrl(url, { env: cli.env, ...(browserCommand ? { browserCommand } : {}) });
      } catch (e) {
        cli.logger.warn(`${(e as Error).message}; open the link above yourself.`);
      }
    }
    cli.stderr.write('Waiting for the sign-in to be approved...\n');
  };
}
