// The federation stand-in in a process of its own, for `login --stdout` in
// the start-up benchmark: the benchmark times commands with spawnSync, which
// would block a server living in its own process. Prints the URL, serves
// until stdin closes.
import { startFederationStandIn } from '../../test/console/federation-stand-in.js';

const fed = await startFederationStandIn();
process.stdout.write(`${fed.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => void fed.stop().then(() => process.exit(0)));
