// npm's `prepare` hook: builds dist/ (bundle and declarations), so that
// `npm install` in a clone, `npm link`, `npm install -g <path>` and `npm pack`
// all leave a runnable `rolehop`. npm runs it after installing dependencies,
// except for `npm link` and `npm install -g <path>` of a folder: those link the
// folder as it is, so a fresh clone has no esbuild or typescript yet. Then the
// folder's own dependencies are installed first (`npm ci`, which runs this
// hook again and builds). A tarball from `npm pack` already holds dist/, and
// npm never runs `prepare` when installing one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args, env = process.env) {
  const r = spawnSync(npm, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    process.stderr.write(`rolehop prepare: \`npm ${args.join(' ')}\` failed in ${root}\n`);
    process.exit(r.status ?? 1);
  }
}

if (!existsSync(join(root, 'node_modules', 'esbuild')) || !existsSync(join(root, 'node_modules', 'typescript'))) {
  process.stderr.write(`rolehop prepare: installing the build's dependencies in ${root} (npm ci)\n`);
  // The outer command is global (`-g`, `link`): its settings would make this
  // install global too, or leave out the devDependencies the build needs.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_config_(global|location|prefix|omit|include|production|only|also)$/i.test(k)),
  );
  run(['ci', '--include=dev', '--no-audit', '--no-fund'], env);
} else {
  run(['run', 'build']);
}
