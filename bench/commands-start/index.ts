// Start-up of the commands a user types, each against bare `node -e 0` in
// the same run: `exec -- /bin/true` and `export` in every format on a cache
// hit, `list`, `clear` (of a profile without sessions: clearing target's
// would make the next command a miss) and `login --stdout`, on both runtimes, for the
// keychain backend (when a session bus runs) and the file backend with its
// agent started (so these are its second and later calls).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measureInterleaved, type Measured, type Timed } from '../timing.js';
import { startMoto, type MotoServer } from '../../test/helpers/moto.js';
import { seedMotoIdentity } from '../../test/helpers/run-cli.js';

/** One command's row: medians of wall time, means of CPU time, and their ratios to the `node -e 0` runs interleaved with it. */
export interface CommandRow {
  runtime: string;
  backend: string;
  command: string;
  wallMs: number;
  cpuMs: number;
  nodeWallMs: number;
  nodeCpuMs: number;
  wallRatio: number;
  cpuRatio: number;
}

/** The commands timed, as typed after `rolehop`. */
export const COMMANDS: ReadonlyArray<{ label: string; args: string[] }> = [
  { label: 'exec target -- /bin/true', args: ['exec', 'target', '--', '/bin/true'] },
  { label: 'export target (env)', args: ['export', 'target'] },
  { label: 'export target -f export-env', args: ['export', 'target', '-f', 'export-env'] },
  { label: 'export target -f json', args: ['export', 'target', '-f', 'json'] },
  { label: 'export target -f ini', args: ['export', 'target', '-f', 'ini'] },
  { label: 'export target -f credential-process', args: ['export', 'target', '-f', 'credential-process'] },
  { label: 'list', args: ['list'] },
  { label: 'clear idle', args: ['clear', 'idle'] },
  { label: 'login target --stdout', args: ['login', 'target', '--stdout'] },
];

/** The federation stand-in's process and URL. */
async function startFederation(): Promise<{ url: string; child: ChildProcessWithoutNullStreams }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('bench/commands-start/federation-child.ts')], { stdio: 'pipe' });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += String(c);
      if (out.includes('\n')) ok(out.trim());
    });
    child.once('exit', (code) => fail(new Error(`federation stand-in exited (${code})`)));
  });
  return { url, child };
}

/** A home for `backend` with alice's key stored and target's session cached (and, for the file backend, its agent started). */
function prepareHome(
  node: string,
  cli: string,
  home: string,
  backend: string,
  base: NodeJS.ProcessEnv,
  alice: { accessKeyId: string; secretAccessKey: string },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ROLEHOP_HOME: join(home, `.rolehop-${backend}-${node.length}-${Date.now()}`), ROLEHOP_BACKEND: backend };
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(node, [cli, ...args], { env: { ...env, ...extra }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`rolehop ${args.join(' ')} failed: ${r.stderr}`);
  };
  run(['add', 'alice', '--env'], { AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey });
  if (backend === 'file') run(['agent', 'start']);
  run(['--mfa-token', '123456', 'export', 'target']);
  return env;
}

/**
 * Runs the benchmark; `runtimes` maps a label to a node binary. The
 * commands of one runtime and backend run interleaved with `node -e 0`
 * (see {@link measureInterleaved}); `clear idle` clears nothing (so every
 * other command is a cache hit), `login --stdout` asks the local stand-in of
 * the federation endpoint.
 */
export async function commandsStart(runtimes: Record<string, string>, runs = 21): Promise<CommandRow[]> {
  const cli = resolve('dist/cli.cjs');
  let moto: MotoServer | undefined;
  let fed: Awaited<ReturnType<typeof startFederation>> | undefined;
  const home = mkdtempSync(join(tmpdir(), 'rolehop-bench-cmds-'));
  const agents: Array<{ node: string; env: NodeJS.ProcessEnv }> = [];
  try {
    moto = await startMoto();
    fed = await startFederation();
    const alice = await seedMotoIdentity(moto.url);
    mkdirSync(join(home, '.aws'));
    writeFileSync(
      join(home, '.aws', 'config'),
      `[profile alice]\nregion = us-east-1\nmfa_serial = ${alice.mfaSerial}\n\n[profile target]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = alice\n\n[profile idle]\nrole_arn = arn:aws:iam::210987654321:role/Idle\nsource_profile = alice\n`,
    );
    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      AWS_CONFIG_FILE: join(home, '.aws', 'config'),
      AWS_ENDPOINT_URL: moto.url,
      ROLEHOP_FILE_PASSPHRASE: 'bench',
      ROLEHOP_AGENT_AUTOSTART: '0',
      ROLEHOP_FEDERATION_ENDPOINT: fed.url,
      ...(process.env.DBUS_SESSION_BUS_ADDRESS ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } : {}),
    };
    const backends = process.env.DBUS_SESSION_BUS_ADDRESS ? ['keychain', 'file'] : ['file'];
    const rows: CommandRow[] = [];
    for (const [runtime, node] of Object.entries(runtimes)) {
      if (!existsSync(node)) continue;
      const bare: Timed = { cmd: node, args: ['-e', '0'], env: { PATH: process.env.PATH, HOME: home } };
      for (const backend of backends) {
        const env = prepareHome(node, cli, home, backend, base, alice);
        if (backend === 'file') agents.push({ node, env });
        const timed = COMMANDS.map((c): Timed => ({ cmd: node, args: [cli, ...c.args], env }));
        const [n, ...ms] = measureInterleaved([bare, ...timed], runs) as [Measured, ...Measured[]];
        COMMANDS.forEach((c, i) => {
          const m = ms[i]!;
          rows.push({
            runtime,
            backend,
            command: c.label,
            wallMs: m.wallMs,
            cpuMs: m.cpuMs,
            nodeWallMs: n.wallMs,
            nodeCpuMs: n.cpuMs,
            wallRatio: m.wallMs / n.wallMs,
            cpuRatio: m.cpuMs / n.cpuMs,
          });
        });
      }
    }
    return rows;
  } finally {
    for (const { node, env } of agents) spawnSync(node, [cli, 'agent', 'stop'], { env });
    fed?.child.stdin.end();
    await moto?.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

/** The section's Markdown table. */
export function commandsStartMarkdown(rows: CommandRow[], runs = 21): string {
  const lines = [
    '## Start-up of everyday commands vs bare `node -e 0`',
    '',
    `Cache hits; the file backend with its agent running (second and later calls). Each runtime and backend: ${runs} interleaved rounds of all commands and \`node -e 0\`. CPU: the rolehop process only (not the agent, the keychain daemon or moto).`,
    '',
    '| runtime | backend | command | wall | CPU | node -e 0 wall / CPU | wall ratio | CPU ratio |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.runtime} | ${r.backend} | \`${r.command}\` | ${r.wallMs.toFixed(0)} ms | ${r.cpuMs.toFixed(0)} ms | ${r.nodeWallMs.toFixed(0)} / ${r.nodeCpuMs.toFixed(0)} ms | ${r.wallRatio.toFixed(2)}x | ${r.cpuRatio.toFixed(2)}x |`,
    );
  return lines.join('\n');
}

/** The entry bench/run.ts calls for the `commands-start` section. */
export async function runCommandsStartBenchmark(): Promise<{ json: unknown; markdown: string }> {
  const runtimes: Record<string, string> = { [`node ${process.version}`]: process.execPath };
  const node24 = resolve('.cache/node24/node_modules/node/bin/node');
  if (existsSync(node24)) runtimes['node 24'] = node24;
  const rows = await commandsStart(runtimes);
  return { json: rows, markdown: commandsStartMarkdown(rows) };
}
