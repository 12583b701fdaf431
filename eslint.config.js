// ESLint flat config: the recommended rules of ESLint and typescript-eslint
// (not the type-checked set, so linting needs no TypeScript program).
//
// Not runnable yet: typescript-eslint 8 supports typescript <6.1 only (it reads
// the compiler's JS API, which typescript 7 no longer ships), and this project
// type-checks with typescript 7. See the README's Tests section.
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
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', performance: 'readonly', structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly' },
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
    },
  },
);
