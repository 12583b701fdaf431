// Throw-away: start moto with alice + 3 accounts and keep it running for manual tmux checks.
import { writeFileSync } from 'node:fs';
import { startMoto } from './test/helpers/moto.js';
import { createTargetAccounts, seedMotoIdentity } from './test/helpers/run-cli.js';
const moto = await startMoto();
const alice = await seedMotoIdentity(moto.url);
const accounts = await createTargetAccounts(moto.url, 3);
writeFileSync('/tmp/manual/world.json', JSON.stringify({ url: moto.url, alice, accounts }));
console.log(JSON.stringify({ url: moto.url, accounts }));
setInterval(() => {}, 1 << 30);
