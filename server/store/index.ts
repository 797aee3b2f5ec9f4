/**
 * The one place that picks a storage engine: PostgreSQL when DATABASE_URL is a postgres:// URL,
 * otherwise the embedded DuckDB file under DATA_DIR.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadKeys, SecretBox } from '../security/secret-box.js';
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
  /** SECRET_KEY and SECRET_KEY_PREVIOUS; without them the key file in dataDir (server/security/secret-box.ts). */
  secretKey?: string | null;
  secretKeyPrevious?: string | null;
  /** NODE_ENV=production: SECRET_KEY is required. */
  production?: boolean;
}

export const DUCKDB_FILE = 'hexwatch.duckdb';

/** Opens the engine and installs the secret box (the key is loaded before the database is touched). */
export async function openStore(config: StoreConfig): Promise<IncidentStore> {
  const box = new SecretBox(loadKeys(config).keys);
  let store: IncidentStore;
  if (config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    store = await PostgresStore.open(config.databaseUrl);
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    store = await DuckDbStore.open(join(config.dataDir, DUCKDB_FILE), {
      memoryLimit: config.duckdbMemoryLimit,
      journalCheckpointBytes: config.duckdbJournalCheckpointMb === undefined ? undefined : Math.round(config.duckdbJournalCheckpointMb * 1024 * 1024),
      log: config.log,
    });
  }
  store.useSecretBox(box);
  return store;
}

/** The secret-key part of a StoreConfig, from the parsed environment. */
export function secretKeyConfig(env: { SECRET_KEY?: string | undefined; SECRET_KEY_PREVIOUS?: string | undefined; NODE_ENV: string }) {
  return { secretKey: env.SECRET_KEY ?? null, secretKeyPrevious: env.SECRET_KEY_PREVIOUS ?? null, production: env.NODE_ENV === 'production' };
}

export type { IncidentStore } from './types.js';
