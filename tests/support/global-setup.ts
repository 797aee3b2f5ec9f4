/**
 * Starts one PostgreSQL server for the whole test run (each test file makes its own database
 * in it) and says which engines the storage tests run against.
 */
import type { TestProject } from 'vitest/node';
import { startPostgresServer } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

export default async function setup(project: TestProject) {
  const server = await startPostgresServer();
  if (!server && process.env.CI) throw new Error('CI must test PostgreSQL, but no server could be started');
  console.log(`storage engines under test: duckdb (embedded), ${server ? server.description : 'postgres SKIPPED: no server binaries found'}`);
  project.provide('pgUrl', server?.url ?? null);
  return () => server?.stop();
}
