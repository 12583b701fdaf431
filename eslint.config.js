// ESLint flat config: the recommended rules of ESLint and typescript-eslint
// (not the type-checked set, so linting needs no TypeScript program).
//
// Not installed yet: typescript-eslint 8 supports typescript <6.1 only (it
// reads the compiler's JS API, which typescript 7 no longer ships), and this
// project type-checks with typescript 7, so npm refuses to install it here.
// Run against typescript 6.0.3 (eslint 10.16, typescript-eslint 8.74), the
// tree passes except one rule in test/helpers/moto.ts. See the README's Tests section.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      // Node's globals, for the .mjs/.cjs scripts (TypeScript checks them in .ts files).
      globals: Object.fromEntries(
        ['process', 'console', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'queueMicrotask', 'URL', 'URLSearchParams', 'AbortController', 'AbortSignal', 'performance', 'structuredClone', 'TextEncoder', 'TextDecoder', 'fetch'].map((g) => [g, 'readonly']),
      ),
    },
    rules: {
      // Non-null assertions mark values the surrounding code has just checked
      // (for example `profileValue(...)!` right after a test for undefined).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `catch {}` and `() => {}` are deliberate here: a best-effort cleanup or
      // a logger that drops everything; each such block carries a comment.
      'no-empty': ['error', { allowEmptyCatch: true }],
      '@typescript-eslint/no-empty-function': 'off',
      // `for (;;)` loops end with a `break` or `return` inside.
      'no-constant-condition': ['error', { checkLoops: false }],
      // Unused arguments keep a callback's documented signature.
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `cond ? a() : b()` as a statement is a style this code base uses.
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
    },
  },
  {
    // CommonJS scripts (the agent-floor benchmark client) are plain Node.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
