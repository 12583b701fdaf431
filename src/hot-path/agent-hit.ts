import { AgentConnection } from '../agent/agent-client.js';
import { envSubset } from '../agent/protocol.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { MfaRequest } from '../io/context.js';

/**
 * `credential_process` answered by a running agent: one connection, one
 * request (it carries the protocol version, which the agent checks), and
 * the agent's finished line printed as it came. Resolves undefined when no
 * compatible agent answers, so the normal path runs (and says why, with
 * --debug); a failure the agent reports about the profile is thrown as the
 * RolehopError it is. `mfaCode` answers the agent's MFA questions in the
 * caller's terminal; it is loaded only when one comes.
 */
export async function credentialProcessViaAgent(
  profile: string,
  rolehopHome: string,
  env: Readonly<Record<string, string | undefined>>,
  mfaCode: (req: MfaRequest) => Promise<string>,
): Promise<string | undefined> {
  const conn = await AgentConnection.open(rolehopHome);
  if (!conn) return undefined;
  try {
    let line: unknown;
    try {
      line = await conn.request('credentialProcess', [profile], envSubset(env), (ask) => mfaCode(ask.req));
    } catch (e) {
      // The agent's own trouble (another protocol version, a hang-up) is
      // not an answer: the normal path says hello, warns and works without it.
      if (e instanceof RolehopError && e.code === ErrorCodes.AGENT) return undefined;
      throw e;
    }
    return typeof line === 'string' ? line : undefined;
  } finally {
    conn.close();
  }
}
