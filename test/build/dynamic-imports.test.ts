import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoDynamicImport, dynamicImports } from '../../scripts/dynamic-imports.mjs';

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
