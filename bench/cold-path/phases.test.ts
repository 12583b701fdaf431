import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phaseOf, splitProfile, type CpuProfile, type Frame } from './phases.js';

const frame = (functionName: string, source?: string, url = 'file:///x/dist/chunks/c.mjs', lineNumber = 10): Frame => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 4,
  ...(source ? { source } : {}),
});

test('an import anywhere on the stack is module loading, even under the broker', () => {
  assert.equal(
    phaseOf([frame('compileSourceTextModule', undefined, 'node:internal/modules/esm/utils'), frame('credentials', 'src/sessions/broker.ts')]),
    'module loading',
  );
  assert.equal(phaseOf([{ ...frame('', 'node_modules/@smithy/core/x.js'), lineNumber: 0, columnNumber: 0 }]), 'module loading');
});

test('a CommonJS bundle loaded through the code cache: reading, compiling and evaluating it is module loading', () => {
  const bundle = 'file:///x/dist/export-miss.cjs';
  assert.equal(
    phaseOf([frame('Script', undefined, 'node:vm'), frame('requireWithCodeCache', 'src/hot-path/code-cache.ts', 'file:///x/dist/cli.cjs')]),
    'module loading',
  );
  assert.equal(
    phaseOf([frame('readFileUtf8', undefined, ''), frame('requireWithCodeCache', 'src/hot-path/code-cache.ts', 'file:///x/dist/cli.cjs')]),
    'module loading',
  );
  // esbuild's lazy init of a bundled module is a method named for the module's path.
  assert.equal(
    phaseOf([frame('src/sessions/broker.ts', 'src/sessions/broker.ts', bundle), frame('obtain', 'src/sessions/broker.ts', bundle)]),
    'module loading',
  );
  // Code of the bundle that runs after it is loaded is attributed by its source, as in the ESM chunks.
  assert.equal(phaseOf([frame('obtain', 'src/sessions/broker.ts', bundle)]), 'CLI, broker, mfa_process, hot-path probe');
});

test('the nearest frame with a known source decides', () => {
  assert.equal(
    phaseOf([frame('signRequest', 'node_modules/@smithy/signature-v4/dist-es/SignatureV4.js'), frame('assumeRole', 'src/aws/sts.ts')]),
    'STS calls (SDK: endpoint, signing, HTTP, parsing)',
  );
  assert.equal(
    phaseOf([frame('writeFile', undefined, 'node:fs'), frame('tryCreate', 'src/io/lock.ts'), frame('fetch', 'src/sessions/broker.ts')]),
    'store, lock, data key',
  );
  assert.equal(phaseOf([frame('parseIni', 'src/config/ini.ts')]), 'config');
  assert.equal(phaseOf([frame('put', 'src/sessions/session-cache.ts')]), 'session cache write');
  assert.equal(
    phaseOf([frame('STSClient', 'node_modules/@aws-sdk/client-sts/dist-es/STSClient.js'), frame('build', 'src/aws/sts.ts')]),
    'SDK client construction',
  );
});

test('Node internals alone: HTTP I/O when in net/http, else other; the collector is its own phase', () => {
  assert.equal(phaseOf([frame('internalConnect', undefined, 'node:net')]), 'STS calls (SDK: endpoint, signing, HTTP, parsing)');
  assert.equal(phaseOf([frame('emit', undefined, 'node:events')]), 'other Node and V8 work');
  assert.equal(phaseOf([frame('(garbage collector)', undefined, '')]), 'garbage collection');
});

test('splitProfile sums each sample into its phase and leaves idle out', () => {
  const cf = (functionName: string, url: string) => ({ functionName, url, lineNumber: 3, columnNumber: 1 });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: cf('(root)', ''), children: [2, 3] },
      { id: 2, callFrame: cf('(idle)', '') },
      { id: 3, callFrame: cf('tryCreate', 'file:///b.mjs'), children: [4] },
      { id: 4, callFrame: cf('emit', 'node:events') },
    ],
    samples: [2, 3, 4, 4],
    timeDeltas: [5000, 1000, 2000, 500],
  };
  const split = splitProfile(profile, (url) => (url === 'file:///b.mjs' ? 'src/io/lock.ts' : undefined));
  assert.equal(split['store, lock, data key'], 3.5);
  assert.equal(
    Object.values(split).reduce((a, b) => a + b, 0),
    3.5,
  );
});
