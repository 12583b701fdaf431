// Throw-away: an Identity Center fake over the manual moto, auto-approving.
import { readFileSync, writeFileSync } from 'node:fs';
import { startFakeIdentityCenter } from './test/helpers/fake-identity-center.js';
const w = JSON.parse(readFileSync('/tmp/manual/world.json', 'utf8'));
const fake = await startFakeIdentityCenter({ motoUrl: w.url, switches: { autoApprove: true, intervalSeconds: 2 } });
writeFileSync('/tmp/manual/sso.json', JSON.stringify({ url: fake.url, startUrl: fake.startUrl }));
setInterval(() => {}, 1 << 30);
