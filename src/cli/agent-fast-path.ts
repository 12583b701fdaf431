import { ROLEHOP_SECRET_VARIABLES } from '../credentials/child-env.js';
import { connectAgent, createAgentBroker } from '../agent/agent-client.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { Prompter } from '../io/context.js';
import { resolveLocations } from '../io/locations.js';
import { formatCredentials } from './output/credential-formats.js';

/**
 * `credential_process` answered by a running agent without loading the rest
 * of the CLI: locate the agent socket, one request, print the document.
 * Resolves undefined when no agent answers (the normal path runs then); a
 * failure the agent reports is thrown as the RolehopError it is.
 */
export async function credentialProcessViaAgent(profile: string, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  if (env.ROLEHOP_NO_AGENT) return undefined;
  const { rolehopHome } = resolveLocations(env);
  const conn = await connectAgent(rolehopHome);
  if (!conn) return undefined;
  // The agent may need an MFA code (a session expired): ask like the CLI does.
  const prompter: Prompter = {
    async mfaCode(req) {
      const { createTtyPrompter } = await import('./tty-prompter.js');
      const childEnv: Record<string, string> = {};
      for (const [k, v] of Object.entries(env)) if (v !== undefined && !(ROLEHOP_SECRET_VARIABLES as readonly string[]).includes(k)) childEnv[k] = v;
      return createTtyPrompter({ childEnv }).mfaCode(req);
    },
    async passphrase() {
      throw new RolehopError(ErrorCodes.INTERNAL, 'the agent never asks for the passphrase');
    },
    async text() {
      throw new RolehopError(ErrorCodes.INTERNAL, 'the agent never asks for text');
    },
  };
  const broker = createAgentBroker(conn, {
    env,
    prompter,
    plan: () => {
      throw new RolehopError(ErrorCodes.INTERNAL, 'no local plan on the agent fast path');
    },
  });
  try {
    const r = await broker.credentials(profile);
    return formatCredentials('credential-process', r.credentials, { profile });
  } finally {
    broker.close();
  }
}
