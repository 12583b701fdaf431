// Kept dependency-free: the client imports this on the credential_process hot path.
import { join } from 'node:path';

/** Bumped on any incompatible protocol change; a client never talks to another version. */
export const AGENT_PROTOCOL_VERSION = 1;

/** Longest accepted line (request or response), against runaway peers. */
export const MAX_LINE_BYTES = 1 << 20;

/** Where the agent lives: a 0700 directory under ROLEHOP_HOME holding the socket and its log. */
export function agentPaths(rolehopHome: string): { dir: string; socket: string; log: string } {
  const dir = join(rolehopHome, 'agent');
  return { dir, socket: join(dir, 'agent.sock'), log: join(dir, 'agent.log') };
}

/**
 * Broker operations the agent serves, plus control operations.
 * `credentialProcess` answers with the finished credential_process line, so
 * the hot-path client only prints it; an older agent refuses it as unknown
 * (ERR_AGENT), and the caller then takes the normal path.
 */
export type AgentOp = 'hello' | 'credentials' | 'credentialProcess' | 'sessionCredentials' | 'assumeRole' | 'storedKey' | 'clearSessions' | 'status' | 'stop';

/** Client → agent. `env` is the caller's {@link envSubset}: the part of the environment that changes what a profile resolves to. */
export interface AgentRequest {
  id: number;
  op: AgentOp;
  args?: unknown[];
  env?: Record<string, string>;
  v?: number;
}

/** A serialised RolehopError (never a stack, never a cause). */
export interface WireError {
  code: string;
  message: string;
  hint?: string;
}

/** Agent → client: a result, an error, or a question the caller must answer (MFA code). */
export type AgentResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: WireError }
  | { id: number; ask: { askId: number; kind: 'mfa'; req: { serial: string; profile: string; mfaProcess?: string } } };

/** Client → agent: the answer to an ask. */
export type AgentAnswer = { askId: number; answer: string } | { askId: number; error: WireError };

/** What `status` returns. */
export interface AgentStatus {
  pid: number;
  version: number;
  backend: string;
  startedAt: string;
  /** 0 when the agent never times out. */
  idleTimeoutSeconds: number;
  /** When the agent exits unless asked something before; absent without a timeout. */
  idleExpiresAt?: string;
  requests: number;
}

const EXACT = new Set([
  'HOME',
  'AWS_CONFIG_FILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  // The machine's own credentials: web identity, the container endpoint, IMDS, and whether `default` may stand for them.
  'AWS_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
  'AWS_EC2_METADATA_DISABLED',
]);

/** Whether a variable can change how the broker resolves a profile (config path, region, endpoints, `credential_source`, the implicit default's ambient credentials). */
export function isRelevantVariable(name: string): boolean {
  return EXACT.has(name) || name.startsWith('AWS_ENDPOINT_URL');
}

/** The caller's variables that the agent must resolve with, so an answer never depends on the agent's own start-up environment. */
export function envSubset(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(env).sort()) {
    const v = env[k];
    if (v !== undefined && isRelevantVariable(k)) out[k] = v;
  }
  return out;
}

/**
 * Splits a byte stream into lines and hands each parsed JSON value to
 * `onMessage`; calls `onError` once, and then ignores the rest of the stream,
 * when a line is not JSON or grows past {@link MAX_LINE_BYTES} (what is
 * buffered never exceeds that by more than one read). Never throws itself;
 * `onMessage` must not either.
 */
export function lineReader(onMessage: (m: unknown) => void, onError: (why: string) => void): (chunk: Buffer) => void {
  // A streaming decoder: a character split across two reads stays whole.
  const decoder = new TextDecoder();
  let buf = '';
  let dead = false;
  return (chunk) => {
    if (dead) return;
    buf += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line) continue;
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        dead = true;
        buf = '';
        return onError('malformed message');
      }
      onMessage(msg);
    }
    if (buf.length > MAX_LINE_BYTES) {
      dead = true;
      buf = '';
      onError('message too long');
    }
  };
}
