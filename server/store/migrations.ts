/**
 * Versioned SQL migrations: `NNN_name.sql` runs on both engines, then `NNN_name.<engine>.sql`
 * when present. Applied in order at start, each version once, recorded in schema_migrations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlDb } from './sql-db.js';
import { col } from './sql-rows.js';
import type { Engine } from './types.js';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(engine: Engine): Migration[] {
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}_[\w-]+(\.(duckdb|postgres))?\.sql$/.test(f));
  const byVersion = new Map<number, Migration>();
  for (const file of files.sort()) {
    const [, version, name, only] = /^(\d{3})_([\w-]+?)(?:\.(duckdb|postgres))?\.sql$/.exec(file)!;
    if (only && only !== engine) continue;
    const v = Number(version);
    const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
    const entry = byVersion.get(v) ?? { version: v, name: name!, sql: '' };
    // the shared file sorts first (`001_init.sql` < `001_init.duckdb.sql` is false), so order explicitly
    entry.sql = only ? `${entry.sql}\n${sql}` : `${sql}\n${entry.sql}`;
    byVersion.set(v, entry);
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

/** Splits a migration file into statements (no procedural bodies in our migrations). */
export function splitStatements(sql: string): string[] {
  return sql
    .replace(/--.*$/gm, '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** @param migrations the migrations to apply (all of the engine's by default; tests pass fewer). */
export async function applyMigrations(
  db: SqlDb,
  engine: Engine,
  lock?: (tx: SqlDb) => Promise<void>,
  /** Stop after this version (restore loads a backup into the schema it was taken from). */
  upTo = Infinity,
  migrations: Migration[] = loadMigrations(engine),
): Promise<number[]> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)`,
  );
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version > upTo) break;
    await db.transaction(async (tx) => {
      await lock?.(tx);
      const done = await tx.query(`SELECT count(*) AS n FROM schema_migrations WHERE version = $1`, [migration.version]);
      if (col.number(done[0]!, 'n') > 0) return;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      applied.push(migration.version);
    });
  }
  // DuckDB: no DDL may wait in the WAL (replaying DDL after a crash can fail, issue 11, DuckDB
  // #19712 / #22044); a checkpoint writes the new schema (e.g. 009's table rebuild) into the file.
  if (engine === 'duckdb' && applied.length) await db.query('CHECKPOINT');
  return applied;
}
