import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';

/** Options of {@link createSharedHandler}. */
export interface SharedHandlerOptions {
  /** Sockets per origin; set it at least to the fan-out concurrency. */
  maxSockets: number;
}

/**
 * One keep-alive HTTP handler for every SDK client of a sweep. All accounts
 * share an origin per service and region (sts.us-east-1.amazonaws.com), so a
 * handler per client would open a TLS connection per account, and the SDK's
 * default agent caps in-flight requests at 50 per origin whatever the
 * concurrency. `@smithy/node-http-handler` is imported on the first request,
 * which lets this be built synchronously (library `client()` is sync).
 *
 * `destroy()` is a no-op: a job destroying its client must not tear down the
 * agent everyone shares. Call `close()` when the sweep is over.
 */
export interface SharedHandler extends RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> {
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): never;
  /** Closes the pooled sockets. */
  close(): void;
}

/** Builds a {@link SharedHandler}. */
export function createSharedHandler(opts: SharedHandlerOptions): SharedHandler {
  let real: Promise<RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions>> | undefined;
  const load = () => {
    real ??= (async () => {
      const [{ NodeHttpHandler }, http, https] = await Promise.all([import('@smithy/node-http-handler'), import('node:http'), import('node:https')]);
      const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets, maxFreeSockets: Math.min(opts.maxSockets, 256) };
      const h = new NodeHttpHandler({ httpAgent: new http.Agent(agentOptions), httpsAgent: new https.Agent(agentOptions) });
      return h as unknown as RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions>;
    })();
    return real;
  };
  let config: Record<string, unknown> = {};
  return {
    async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
      const h = await load();
      return h.handle(request, options);
    },
    updateHttpClientConfig(key: never, value: never) {
      config = { ...config, [key]: value };
    },
    httpHandlerConfigs() {
      return config as never;
    },
    destroy() {},
    close() {
      const r = real;
      real = undefined;
      void r?.then((h) => h.destroy?.()).catch(() => {});
    },
  };
}
