/**
 * The one place that picks a storage engine: PostgreSQL when DATABASE_URL is a postgres:// URL,
 * otherwise the embedded DuckDB file under DATA_DIR.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDbStore } from './duckdb.js';
import { PostgresStore } from './postgres.js';
import type { IncidentStore } from './types.js';

export interface StoreConfig {
  databaseUrl?: string | null;
  dataDir: string;
  /** DuckDB only: its buffer memory limit, e.g. `1GB`. */
  duckdbMemoryLimit?: string;
  /** DuckDB only: the ingest journal is folded into a checkpoint at this size. */
  duckdbJournalCheckpointMb?: number;
  /** Where recovery after a crash is reported. */
  log?: (line: string) => void;
}

export const DUCKDB_FILE = 'hexwatch.duckdb';

export async function openStore(config: StoreConfig): Promise<IncidentStore> {
  if (config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    return PostgresStore.open(config.databaseUrl);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return DuckDbStore.open(join(config.dataDir, DUCKDB_FILE), {
    memoryLimit: config.duckdbMemoryLimit,
    journalCheckpointBytes: config.duckdbJournalCheckpointMb === undefined ? undefined : Math.round(config.duckdbJournalCheckpointMb * 1024 * 1024),
    log: config.log,
  });
}

export type { IncidentStore } from './types.js';
