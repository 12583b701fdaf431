import { AgentConnection, readResolvedCredentials } from '../agent/agent-client.js';
import { envSubset, type AgentOp } from '../agent/protocol.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { MfaRequest } from '../io/context.js';
import type { CredentialRequest, ResolvedCredentials } from '../sessions/broker-contract.js';

/** Where the agent lives, who asks, and who answers its MFA questions (loaded only when one comes). */
export interface AgentHitCaller {
  rolehopHome: string;
  env: Readonly<Record<string, string | undefined>>;
  mfaCode: (req: MfaRequest) => Promise<string>;
}

/**
 * One request to a running agent over one connection (the request carries
 * the protocol version and build, which the agent checks), its answer read
 * by `read`. Resolves undefined when no compatible agent answers, so the
 * normal path runs (and says why, with --debug); a failure the agent reports
 * about the profile is thrown as the RolehopError it is.
 */
async function askAgent<T>(caller: AgentHitCaller, op: AgentOp, args: unknown[], read: (result: unknown) => T | undefined): Promise<T | undefined> {
  const conn = await AgentConnection.open(caller.rolehopHome);
  if (!conn) return undefined;
  try {
    return read(await conn.request(op, args, envSubset(caller.env), (ask) => caller.mfaCode(ask.req)));
  } catch (e) {
    // The agent's own trouble (another protocol version or build, a hang-up,
    // an answer of the wrong shape) is not an answer: the normal path says
    // hello, warns and works without it.
    if (e instanceof RolehopError && e.code === ErrorCodes.AGENT) return undefined;
    throw e;
  } finally {
    conn.close();
  }
}

/** `credential_process` answered by a running agent: its finished line, printed as it came (see {@link askAgent}). */
export function credentialProcessViaAgent(profile: string, caller: AgentHitCaller): Promise<string | undefined> {
  return askAgent(caller, 'credentialProcess', [profile], (line) => (typeof line === 'string' ? line : undefined));
}

/** The broker's `credentials(profile, req)` answered by a running agent, exactly as the normal path asks it (see {@link askAgent}). */
export function credentialsViaAgent(profile: string, req: CredentialRequest, caller: AgentHitCaller): Promise<ResolvedCredentials | undefined> {
  return askAgent(caller, 'credentials', [profile, req], readResolvedCredentials);
}

/** `clear` (of every session, or of those involving `profile`) done by a running agent: how many it cleared (see {@link askAgent}). */
export function clearViaAgent(profile: string | undefined, caller: AgentHitCaller): Promise<number | undefined> {
  return askAgent(caller, 'clearSessions', profile === undefined ? [] : [profile], (n) => (typeof n === 'number' ? n : undefined));
}
