// ESLint flat config: type-aware typescript-eslint, React hook rules, import cycles, and the
// client's import boundary. `npm run lint` runs it with --max-warnings 0 (README, "Code checks").
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// typescript-eslint needs TypeScript's JavaScript API (ts.createProgram and friends). The
// project's `typescript` is 7 (native tsgo), which has none, so `npm run typecheck` stays on
// TS 7 and this process alone reads `typescript` as the `typescript-5` alias (package.json).
// typescript-eslint is CommonJS and loads `typescript` with require(), so redirecting the
// CommonJS resolver before it is first imported is enough. The `overrides` in package.json only
// let npm accept TS 7 for typescript-eslint's peer range; at run time it gets TS 5 from here.
const typescript5 = dirname(createRequire(import.meta.url).resolve('typescript-5/package.json'));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const redirected =
    request === 'typescript' || request.startsWith('typescript/')
      ? typescript5 + request.slice('typescript'.length)
      : request;
  return resolveFilename.call(this, redirected, ...rest);
};

const { default: js } = await import('@eslint/js');
const { default: tseslint } = await import('typescript-eslint');
const { default: reactHooks } = await import('eslint-plugin-react-hooks');
const { importX } = await import('eslint-plugin-import-x');
const { createTypeScriptImportResolver } = await import('eslint-import-resolver-typescript');
const { default: globals } = await import('globals');

export default tseslint.config(
  { ignores: ['dist/**', 'var/**', 'node_modules/**', 'tests/bench/results/**', 'data/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: here },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The rules that find real bugs stay errors: a promise nobody awaits or catches, a promise
      // where a callback's return is ignored (an Express handler, an onClick), awaiting a
      // non-promise, unused code.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Off, with the reason:
      // - the no-unsafe-* family: rows from DuckDB/pg, JSON bodies and Feishu answers are `any` or
      //   `unknown` at the edge by nature; they are checked by zod or by the typed row mappers
      //   (server/store/sql-rows.ts), and these rules would flag every such line, not bugs.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // - template literals with numbers are how the SQL and the messages are built; the rule
      //   adds noise (`${String(n)}`) without finding bugs.
      '@typescript-eslint/restrict-template-expressions': 'off',
      // - `async` functions without `await` are interface implementations (a store method
      //   returning a Promise); dropping `async` would change a throw into a synchronous throw.
      '@typescript-eslint/require-await': 'off',
      // - the tsconfig's noUnusedLocals/noUnusedParameters already report these; eslint's core
      //   rule knows nothing of TypeScript.
      'no-unused-vars': 'off',
      // - values in messages come from parsed JSON (Feishu answers, pg catalog rows) typed
      //   `unknown` or `{}`; String() of them is the intended message text, and the rule flags
      //   each such line (17 of them) without a bug among them.
      '@typescript-eslint/no-base-to-string': 'off',
      // - eslint's no-useless-assignment does not follow assignments made in closures (a flag set
      //   by a callback, a variable set in try and read in finally) and flagged only those.
      'no-useless-assignment': 'off',
    },
  },
  {
    // Plain JavaScript files (this config, scripts/*.mjs) are not in the TypeScript project.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // React: the two hook rules. The React Compiler rules of the plugin's recommended set are
    // left off: the app does not use the compiler.
    files: ['client/**/*.{ts,tsx}', 'tests/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // No import cycle anywhere in the code (issue 13): a cycle makes load order decide what a
    // module sees at import time, and it hid the store's layering (server/store/sql-rows.ts).
    files: ['server/**/*.ts', 'client/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${here}/tsconfig.json` })],
    },
    rules: {
      // Type-only imports are erased and cannot form a load-order cycle.
      'import-x/no-cycle': ['error', { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: false }],
    },
  },
  {
    // The client may take from server/ only the pure domain (shared rules) and types (the
    // tRPC router's type); the store, Express, Node and the database never reach the bundle.
    files: ['client/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+server/(?!domain/)',
              message: 'The client may import from server/ only the pure domain (server/domain/**), or types with `import type`.',
              allowTypeImports: true,
            },
            {
              regex: '^node:',
              message: 'Node built-ins do not exist in the browser.',
            },
          ],
        },
      ],
    },
  },
);
