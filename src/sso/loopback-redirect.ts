import type { Server } from 'node:http';
import { ErrorCodes, RolehopError } from '../errors.js';

/** A one-shot listener for the OAuth redirect on 127.0.0.1. */
export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port>/oauth/callback`. */
  redirectUri: string;
  /** Resolves with the authorization code of the first redirect carrying our `state`; rejects on a denial, the timeout or the signal. */
  code: Promise<string>;
  /** Stops listening (also done once `code` settles). */
  close(): void;
}

const PAGE = (text: string) => `<!doctype html><meta charset="utf-8"><title>rolehop</title><p>${text}</p>`;

/**
 * Listens on a free 127.0.0.1 port for one `GET /oauth/callback?code&state`.
 * A redirect whose `state` is not ours is answered 400 and ignored (another
 * page may probe the port); one carrying `error` (the person chose Deny)
 * rejects with ERR_AWS_ACCESS_DENIED; nothing within `timeoutMs` rejects
 * with ERR_TIMEOUT. The code is never logged.
 */
export async function listenForRedirect(state: string, timeoutMs: number, signal?: AbortSignal): Promise<LoopbackRedirect> {
  const { createServer } = await import('node:http');
  let settle: { resolve(code: string): void; reject(e: unknown): void } | undefined;
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || u.pathname !== '/oauth/callback') {
      res.writeHead(404).end();
      return;
    }
    if (u.searchParams.get('state') !== state) {
      res.writeHead(400, { 'content-type': 'text/html' }).end(PAGE('This sign-in link is not the one rolehop is waiting for.'));
      return;
    }
    const error = u.searchParams.get('error');
    const got = u.searchParams.get('code');
    if (error || !got) {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE('Sign-in denied. You can close this tab.'));
      settle?.reject(
        new RolehopError(ErrorCodes.AWS_ACCESS_DENIED, 'The sign-in was denied in the browser', { hint: 'Run `rolehop sso login` again and choose Allow.' }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE('Signed in to rolehop. You can close this tab.'));
    settle?.resolve(got);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  const timer = setTimeout(
    () =>
      settle?.reject(
        new RolehopError(ErrorCodes.TIMEOUT, `No sign-in arrived within ${Math.round(timeoutMs / 1000)} s`, {
          hint: 'Run `rolehop sso login` again; on a remote host or in a container, use --device-code.',
        }),
      ),
    timeoutMs,
  );
  const onAbort = () => settle?.reject(new RolehopError(ErrorCodes.ABORTED, 'The sign-in was interrupted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  const close = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    server.closeAllConnections();
    server.close();
  };
  void code.then(close, close);
  return { redirectUri: `http://127.0.0.1:${port}/oauth/callback`, code, close };
}
