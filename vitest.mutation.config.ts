/**
 * The tests StrykerJS runs for each mutant (`npm run test:mutation`, stryker.config.mjs): the
 * unit and property tests of the pure rules, without the engines' global setup (no database is
 * started: the mutated code is pure, and a storage test per mutant would take hours here).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/domain/**/*.test.ts', 'tests/unit/client/**/*.test.ts', 'tests/unit/ingest/**/*.test.ts'],
    maxWorkers: 1,
    testTimeout: 60_000,
  },
});
