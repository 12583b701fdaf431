// A recording, fault-injecting HTTP proxy in front of moto. moto checks no
// MFA rules and has no quotas, so tests prove invariants by counting calls
// here ("one GetSessionToken for 20 processes") and inject AWS errors here.
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** One request seen by the proxy. */
export interface ProxyCall {
  /** 1-based arrival order since start or the last reset(). */
  seq: number;
  /** Arrival time, ms since the epoch. */
  at: number;
  method: string;
  /** Path and query string as received. */
  path: string;
  /**
   * Operation name: the Query protocol `Action` (STS, IAM, EC2) from the form
   * body or query string, or the part after the dot of `X-Amz-Target` for
   * JSON protocols (`AWSOrganizationsV20161128.ListAccounts` → `ListAccounts`).
   * Empty when neither is present (e.g. `/moto-api/reset`).
   */
  action: string;
  /** Wire protocol the answer (and any injected fault) uses. */
  protocol: 'query' | 'json' | 'other';
  /** Full `X-Amz-Target` header for JSON protocols. */
  target?: string;
  /** Signing region from the SigV4 credential scope (`eu-west-1`; `us-east-1` for IAM). */
  region?: string;
  /** Signing service from the SigV4 credential scope (`sts`, `iam`, `organizations`). */
  service?: string;
  /** Access key id from `Authorization: ... Credential=AKID/...`. */
  accessKeyId?: string;
  roleArn?: string;
  serialNumber?: string;
  /** The MFA code as sent (tests only; lets fake-mfa check it). */
  tokenCode?: string;
  hasTokenCode: boolean;
  /** Every top-level parameter as a string (form fields, or JSON body scalars). */
  params: Record<string, string>;
  /** HTTP status returned to the client; set once the answer is sent. */
  status?: number;
  /** True when the answer came from the fault function, not from moto. */
  faulted: boolean;
}

/** An AWS error answer, rendered in the protocol of the request. */
export interface FaultResponse {
  status: number;
  /** AWS error code, e.g. `AccessDenied`, `Throttling`, `ExpiredToken`. */
  code: string;
  message: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

/** Forward to moto unchanged, but only after `delayMs` (slow answers). */
export interface DelayOnly {
  delayMs: number;
}

/** Answer with this exact body instead of asking moto (e.g. an empty page with a NextToken). */
export interface RawResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** What a fault function may return; `undefined` forwards the call untouched. */
export type FaultAction = FaultResponse | DelayOnly | RawResponse;

/** Decides per call whether to inject a fault. Called once per request, in arrival order. */
export type FaultFn = (call: ProxyCall) => FaultAction | undefined;

/** A running counting proxy. */
export interface CountingProxy {
  /** Base URL to use as `AWS_ENDPOINT_URL`, e.g. `http://127.0.0.1:40124`. */
  url: string;
  /** Number of calls recorded with this operation name (faulted ones included). */
  count(action: string): number;
  /** All recorded calls since start or the last reset(), in arrival order. */
  calls: ProxyCall[];
  /** Forgets recorded calls (the fault function stays). */
  reset(): void;
  /** Installs (or with `undefined` removes) the fault function. */
  setFault(fn: FaultFn | undefined): void;
  /** Closes the listener and every client connection. */
  stop(): Promise<void>;
}

/** Options for {@link startCountingProxy}. */
export interface CountingProxyOptions {
  /**
   * Most requests forwarded to the target at once; the rest queue here.
   * moto's listen backlog is small and it gains nothing beyond ~8 parallel
   * requests, so hundreds of concurrent clients are funnelled. Default 32.
   */
  maxUpstream?: number;
}

/** @internal A call as the worker reports it; the main thread adds `seq`, `status` and `faulted`. */
export type WireCall = Omit<ProxyCall, 'seq' | 'faulted' | 'status'>;

/** @internal Worker → main thread messages. */
export type ToMain =
  | { t: 'ready'; port: number }
  | { t: 'call'; id: number; call: WireCall; ask: boolean }
  | { t: 'done'; id: number; status: number; faulted: boolean }
  | { t: 'stopped' };

/** @internal Main thread → worker messages. */
export type ToWorker = { t: 'fault'; id: number; action?: FaultAction; error?: string } | { t: 'stop' };

/** @internal What the main thread hands the worker. */
export interface ProxyWorkerData {
  target: string;
  maxUpstream: number;
  port: MessagePort;
  /** Int32Array over a SharedArrayBuffer: [0] is 1 while a fault function is set. */
  faultFlag: Int32Array;
}

/**
 * Starts the proxy on 127.0.0.1 with a free port, forwarding to `targetUrl`
 * (moto). The network side runs in a worker thread, so tools started with
 * spawnSync/execSync can talk through it while this thread is blocked;
 * `calls` and `count()` are current the moment such a call returns. Only a
 * fault function needs this thread: while one is set, requests wait for it.
 * Clients get keep-alive connections even though moto closes every one.
 */
export async function startCountingProxy(targetUrl: string, opts: CountingProxyOptions = {}): Promise<CountingProxy> {
  const { port1, port2 } = new MessageChannel();
  const faultFlag = new Int32Array(new SharedArrayBuffer(4));
  const workerData: ProxyWorkerData = { target: targetUrl, maxUpstream: opts.maxUpstream ?? 32, port: port2, faultFlag };
  const worker = new Worker(new URL('./counting-proxy-server.mjs', import.meta.url), { workerData, transferList: [port2], execArgv: [] });
  const calls: ProxyCall[] = [];
  const inFlight = new Map<number, ProxyCall>();
  let seq = 0;
  let fault: FaultFn | undefined;
  let onReady: ((port: number) => void) | undefined;
  let onStopped: (() => void) | undefined;

  const apply = (m: ToMain) => {
    if (m.t === 'call') {
      const call: ProxyCall = { seq: ++seq, ...m.call, faulted: false };
      calls.push(call);
      inFlight.set(m.id, call);
      if (m.ask) {
        let reply: ToWorker;
        try {
          reply = { t: 'fault', id: m.id, action: fault?.(call) };
        } catch (e) {
          reply = { t: 'fault', id: m.id, error: (e as Error).message };
        }
        port1.postMessage(reply);
      }
    } else if (m.t === 'done') {
      const call = inFlight.get(m.id);
      inFlight.delete(m.id);
      if (call) Object.assign(call, { status: m.status, faulted: m.faulted });
    } else if (m.t === 'ready') onReady?.(m.port);
    else if (m.t === 'stopped') onStopped?.();
  };
  // Reports are read both as events and synchronously by the accessors
  // below: receiveMessageOnPort takes each message exactly once.
  const drain = () => {
    for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) apply(m.message as ToMain);
  };
  port1.on('message', apply);
  // A test that forgets stop() must still be able to exit.
  port1.unref();
  worker.unref();

  const port = await new Promise<number>((resolve, reject) => {
    onReady = resolve;
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`counting proxy worker exited with code ${code}`)));
  });
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');
  worker.on('error', (e) => process.emitWarning(`counting proxy worker failed: ${e.message}`));

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    get calls() {
      drain();
      return calls;
    },
    count(action) {
      drain();
      return calls.reduce((n, c) => (c.action === action ? n + 1 : n), 0);
    },
    reset() {
      drain();
      calls.length = 0;
      seq = 0;
    },
    setFault(fn) {
      drain();
      fault = fn;
      Atomics.store(faultFlag, 0, fn ? 1 : 0);
    },
    stop() {
      stopping ??= (async () => {
        const stopped = new Promise<void>((resolve) => (onStopped = resolve));
        port1.ref();
        port1.postMessage({ t: 'stop' } satisfies ToWorker);
        await Promise.race([stopped, new Promise((r) => setTimeout(r, 3000))]);
        drain();
        port1.close();
        await worker.terminate();
      })();
      return stopping;
    },
  };
}

/** Combines fault functions: the first one that returns an action wins. */
export function composeFaults(...fns: Array<FaultFn | undefined>): FaultFn {
  return (call) => {
    for (const fn of fns) {
      const a = fn?.(call);
      if (a) return a;
    }
    return undefined;
  };
}

/** A fault function answering `code` for every call of `action` (optionally only the first `times`). */
export function failAction(action: string, fault: FaultResponse, times = Infinity): FaultFn {
  let left = times;
  return (call) => {
    if (call.action !== action || left <= 0) return undefined;
    left--;
    return fault;
  };
}

/** Common AWS faults, ready to return from a fault function. */
export const Faults = {
  accessDenied: (message = 'User is not authorized to perform this action'): FaultResponse => ({ status: 403, code: 'AccessDenied', message }),
  throttling: (message = 'Rate exceeded'): FaultResponse => ({ status: 400, code: 'Throttling', message }),
  expiredToken: (message = 'The security token included in the request is expired'): FaultResponse => ({ status: 400, code: 'ExpiredToken', message }),
  invalidClientTokenId: (message = 'The security token included in the request is invalid.'): FaultResponse => ({
    status: 403,
    code: 'InvalidClientTokenId',
    message,
  }),
} as const;
