import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWrk } from './ecs-bench.js';

const OUT = `Running 5s test @ http://127.0.0.1:40000/creds
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    80.00us  150.00us   5.00ms   98.00%
    Req/Sec    25.00k     1.00k   27.00k    70.00%
  Latency Distribution
     50%   64.00us
     75%   70.00us
     90%   80.00us
     99%    1.06ms
  128000 requests in 5.00s, 120.00MB read
Requests/sec:  25600.00
Transfer/sec:     24.00MB
`;

test('parseWrk reads throughput, latency percentiles and the request count', () => {
  assert.deepEqual(parseWrk(OUT), { requestsPerSec: 25600, p50Ms: 0.064, p99Ms: 1.06, non2xx: 0, requests: 128000 });
});

test('parseWrk throws on output it cannot read', () => {
  assert.throws(() => parseWrk('nothing here'), /cannot parse/);
});
