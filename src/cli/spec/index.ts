import type { CommandSpec } from '../cli-context.js';
import { spec as add } from './add.js';
import { spec as clear } from './clear.js';
import { spec as exec } from './exec.js';
import { spec as exportSpec } from './export.js';
import { spec as list } from './list.js';
import { spec as login } from './login.js';
import { spec as sso } from './sso.js';
import { spec as rotate } from './rotate.js';
import { spec as run } from './run.js';
import { spec as server } from './server.js';
import { spec as agent } from './agent.js';
import { spec as remove } from './remove.js';
import { spec as roles } from './roles.js';
import { spec as audit } from './audit.js';
import { spec as config } from './config.js';
import { spec as certs } from './certs.js';
import { spec as ami } from './ami.js';
import { spec as completion } from './completion.js';
import { spec as shellInit } from './shell-init.js';
import { spec as whoami } from './whoami.js';

/** Every command, in the order `--help` lists them. */
export const specs: CommandSpec[] = [
  add,
  remove,
  list,
  clear,
  exec,
  exportSpec,
  shellInit,
  whoami,
  server,
  agent,
  login,
  sso,
  rotate,
  run,
  roles,
  config,
  audit,
  certs,
  ami,
  completion,
];
