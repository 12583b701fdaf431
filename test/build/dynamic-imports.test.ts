import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoDynamicImport, DYNAMIC_IMPORT_BANNER, dynamicImports } from '../../scripts/dynamic-imports.mjs';

// The child-process script of src/stores/keychain-probe.ts, as the export miss bundles it.
const PROBE = 'PROBE_SCRIPT = `\nconst { Entry } = await import(url);\nentry.setPassword(token);\n`;\n';

test('a computed import() is found, with its place', async () => {
  const code = 'const a = 1;\nasync function load(name) {\n  return import(name);\n}\n';
  assert.deepEqual(await dynamicImports(code), [{ line: 3, column: 9, snippet: 'return import(name);' }]);
});

test('an import() with a literal specifier is found too, quoted or in a template', async () => {
  const code = 'import("open");\nimport(`./x.js`);\n__rolehopImport("open");\nrequire("node:fs");\n';
  assert.deepEqual(
    (await dynamicImports(code)).map((hit) => hit.line),
    [1, 2],
  );
});

test('import( in a string, a template string, a comment or a regular expression is no call', async () => {
  const code = `${PROBE}const s = "import('x')" + 'import(y)';\n// import(z)\n/* import(w) */\nconst re = /import\\(v\\)/;\n`;
  assert.deepEqual(await dynamicImports(code), []);
});

test('a bundle with an import() left fails, naming the file and the call; its banner lines are not checked', async () => {
  const code = 'var f = ((s) => import(s));\nconst ok = 1;\n' + PROBE + 'module.exports = (m) => import(m);\n';
  await assert.rejects(assertNoDynamicImport('dist/x.cjs', code, 1), (err: Error) => {
    assert.match(err.message, /^dist\/x\.cjs: import\(\) not rewritten/);
    assert.match(err.message, /line 7:25: module\.exports = \(m\) => import\(m\);/);
    assert.doesNotMatch(err.message, /line 1|Entry/);
    return true;
  });
  await assert.doesNotReject(assertNoDynamicImport('dist/x.cjs', code.replace('import(m)', '__rolehopImport(m)'), 1));
});

test('code that does not parse is an error, not "no import()"', async () => {
  await assert.rejects(dynamicImports('const = ;'));
});

/** The banner's `__rolehopImport`, with `require` and the fallback import() given. */
function bannerImport(req: (s: string) => unknown, load: (s: string) => Promise<unknown>): (s: string) => Promise<Record<string, unknown>> {
  return new Function('require', '__rolehopImport', `${DYNAMIC_IMPORT_BANNER}\nreturn __rolehopImport;`)(req, load) as (
    s: string,
  ) => Promise<Record<string, unknown>>;
}

test("the export miss's import() of a builtin requires it and runs none of its getters", async () => {
  let ran = 0;
  const fake = {
    request: () => 'req',
    get WebSocket() {
      ran++;
      return 'ws';
    },
  };
  const seen: string[] = [];
  const ns = await bannerImport(
    (s) => (seen.push(s), fake),
    () => Promise.reject(new Error('no import() for a builtin')),
  )('node:http');
  assert.deepEqual(seen, ['node:http']);
  assert.equal(ran, 0);
  assert.equal(ns.default, fake);
  assert.equal((ns.request as () => string)(), 'req');
  // Still there, and read from the module when asked for.
  assert.equal(ns.WebSocket, 'ws');
  assert.equal(ran, 1);
});

test("the export miss's import() of node:http leaves Node's undici unloaded", async () => {
  const ns = await bannerImport(
    (s) => (process.getBuiltinModule as (s: string) => unknown)(s),
    (s) => import(s),
  )('node:http');
  assert.equal(typeof ns.request, 'function');
  assert.equal(typeof ns.Agent, 'function');
  const loaded = (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
  assert.ok(!loaded.some((m) => m.includes('undici')), 'undici was loaded');
});

test('a package goes to the import() the banner is given', async () => {
  const got = await bannerImport(
    () => {
      throw new Error('no require() of a package');
    },
    (s) => Promise.resolve({ from: s }),
  )('open');
  assert.deepEqual(got, { from: 'open' });
});
