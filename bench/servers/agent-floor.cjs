// The least a Node process can do to answer credential_process through the
// agent: load node:net, send the request, print the line, exit. No checks,
// no MFA forwarding, no fallback. The agent benchmark times it beside the
// real client to show how much of the cost is Node's own.
// Usage: node agent-floor.cjs PROFILE   (ROLEHOP_HOME, HOME, AWS_* from the environment)
const net = require('node:net');
const { join } = require('node:path');
const env = {};
for (const k of Object.keys(process.env).sort())
  if (/^(HOME|AWS_CONFIG_FILE|AWS_REGION|AWS_DEFAULT_REGION|AWS_ENDPOINT_URL.*)$/.test(k)) env[k] = process.env[k];
const home = process.env.ROLEHOP_HOME || join(process.env.HOME, '.rolehop');
const s = net.connect(join(home, 'agent', 'agent.sock'));
s.write(JSON.stringify({ id: 1, op: 'credentialProcess', args: [process.argv[2]], v: 1, env }) + '\n');
let buf = '';
s.on('data', (d) => {
  buf += d;
  const nl = buf.indexOf('\n');
  if (nl < 0) return;
  const m = JSON.parse(buf.slice(0, nl));
  if (!m.ok) process.exit(1);
  require('node:fs').writeSync(1, m.result);
  process.exit(0);
});
s.on('error', () => process.exit(1));
