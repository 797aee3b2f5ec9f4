// Mutation testing of the pure rules (issue 21): `npm run test:mutation`, not part of `npm test`
// (it runs the unit tests once per mutant: tens of minutes on two cores). Scope: server/domain
// and the client's pure lib folders. Incremental: a re-run tests only mutants whose code or
// tests changed since reports/stryker-incremental.json (delete it for a full run).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // No TypeScript checker: this project compiles with TypeScript 7 (the native compiler), which
  // has no JavaScript API, and @stryker-mutator/typescript-checker needs the TypeScript 5 API
  // (ts.parseConfigFileTextToJson). A mutant that would not type-check runs all the same (vitest
  // strips types), so a few such mutants count as killed or survived rather than as compile errors.
  // For the same reason Stryker must not rewrite tsconfig.json in its sandbox (it parses it with
  // the TypeScript 5 API; our tsconfig has no `extends` or references that would need it): the
  // option names a file that does not exist, which skips that step.
  tsconfigFile: 'no-tsconfig-rewrite.json',
  mutate: [
    'server/domain/**/*.ts',
    'client/lib/**/*.ts',
    'client/features/*/lib/**/*.ts',
    // not rules: the tRPC client, the browser tests' hooks, the ECharts registration
    '!client/lib/trpc.ts',
    '!client/features/*/lib/test-hook.ts',
    '!client/features/stats/lib/echarts.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
