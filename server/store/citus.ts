/**
 * The PostgreSQL engine on a Citus cluster (issue 17). When the database has the `citus`
 * extension, the step after the migrations places every table as this list says: small tables
 * that every query joins become reference tables (a copy on each worker), the big ones are
 * distributed by the shard key and co-located, so that an incident, its events, a store's alerts
 * and their deliveries sit on one shard. Without Citus nothing here runs.
 *
 * Why the shard key (the incident's store, else its negated city) and not the city: see the
 * README, "Citus". In short, a store manager's views filter by store, so with the store as key
 * they run on one shard, and a city's map fans out to every shard in parallel; with the city as
 * key a city's map runs on one shard, at the speed of one machine, and every manager of a city
 * hits the same shard at 9:00.
 */
import type { SqlDb, SqlRow } from './sql-db.js';
import { col } from './sql-rows.js';

export type Placement =
  | { kind: 'reference' }
  | { kind: 'distributed'; column: string; colocateWith?: string }
  | { kind: 'local'; why: string };

const REFERENCE: Placement = { kind: 'reference' };

/**
 * Every table of the schema, placed. A table a later migration adds must be added here: the
 * distribution step refuses to run with a table it does not know (and a test says which).
 * Distributed tables come after the table they are co-located with.
 */
export const CITUS_TABLES: Readonly<Record<string, Placement>> = {
  schema_migrations: { kind: 'local', why: "the migrator's bookkeeping, read on the coordinator only" },
  meta: REFERENCE,
  city: REFERENCE,
  store: REFERENCE,
  app_user: REFERENCE,
  user_store: REFERENCE,
  session: REFERENCE,
  api_key: REFERENCE,
  job_run: REFERENCE,
  alert_target: REFERENCE,
  store_code_history: REFERENCE,
  incident: { kind: 'distributed', column: 'shard_key' },
  incident_event: { kind: 'distributed', column: 'shard_key', colocateWith: 'incident' },
  // alerts always have a store: its id is the shard key of that store's incidents
  alert: { kind: 'distributed', column: 'store_id', colocateWith: 'incident' },
  outbox: { kind: 'distributed', column: 'store_id', colocateWith: 'incident' },
  // countermeasures and deliveries belong to a store: with its incidents, on the store's shard
  countermeasure: { kind: 'distributed', column: 'store_id', colocateWith: 'incident' },
  countermeasure_cell: { kind: 'distributed', column: 'store_id', colocateWith: 'incident' },
  exposure: { kind: 'distributed', column: 'store_id', colocateWith: 'incident' },
  // the change feed is the coordinator's: its ids come from one sequence in commit order under an
  // advisory lock there, and NOTIFY goes out from there (server/store/change-feed.ts)
  incident_change: { kind: 'local', why: 'the change feed: ids in commit order under the coordinator\'s lock, read by the coordinator' },
  feishu_event: { kind: 'local', why: 'Feishu event ids already handled: bookkeeping of the callback receiver on the coordinator' },
};

/**
 * The shard key of an incident: its store, or for a store-less incident its city negated (store
 * and city ids are positive, so the two never meet). `shardKeySql` is the same rule in SQL.
 */
export function shardKeyOf(incident: { storeId: number | null; cityId: number }): number {
  return incident.storeId ?? -incident.cityId;
}

export const shardKeySql = (alias: string) => `coalesce(${alias}.store_id, -${alias}.city_id)`;

export async function hasCitus(db: SqlDb): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)).length > 0;
}

/** Tables of the public schema that CITUS_TABLES does not place. */
export async function unplacedTables(db: SqlDb): Promise<string[]> {
  const rows = await db.query(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
  );
  return rows.map((r) => col.text(r, 'relname')).filter((name) => !(name in CITUS_TABLES));
}

interface UniqueKey {
  name: string;
  constraint: 'p' | 'u' | null;
  columns: string[];
  predicate: string | null;
}

async function uniqueKeys(tx: SqlDb, table: string): Promise<UniqueKey[]> {
  const rows = await tx.query(
    `SELECT ic.relname AS name, con.contype AS constraint_type, pg_get_expr(x.indpred, x.indrelid) AS predicate,
            array_to_string(ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
              JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum ORDER BY k.n), ',') AS columns
     FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
     LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.contype IN ('p', 'u')
     WHERE x.indrelid = $1::regclass AND x.indisunique`,
    [table],
  );
  return rows.map((r) => ({
    name: col.text(r, 'name'),
    constraint: (r.constraint_type as 'p' | 'u' | null) ?? null,
    columns: String(r.columns).split(','),
    predicate: col.textOrNull(r, 'predicate'),
  }));
}

/**
 * Citus requires a distributed table's unique keys to contain the distribution column. Each key
 * that lacks it is remade with it in front; a plain index on the old columns keeps lookups by
 * them (the ingest's (source, external_id) check) from scanning whole shards. The uniqueness
 * lost across shards is the writers' to keep (see PgIncidentWriter's lock).
 */
async function rekeyUniques(tx: SqlDb, table: string, column: string): Promise<void> {
  for (const key of await uniqueKeys(tx, table)) {
    if (key.columns.includes(column)) continue;
    const cols = [column, ...key.columns].join(', ');
    const where = key.predicate ? ` WHERE ${key.predicate}` : '';
    if (key.constraint) {
      const kind = key.constraint === 'p' ? 'PRIMARY KEY' : 'UNIQUE';
      await tx.query(`ALTER TABLE ${table} DROP CONSTRAINT ${key.name}, ADD CONSTRAINT ${key.name} ${kind} (${cols})`);
    } else {
      await tx.query(`DROP INDEX ${key.name}`);
      await tx.query(`CREATE UNIQUE INDEX ${key.name} ON ${table} (${cols})${where}`);
    }
    await tx.query(`CREATE INDEX ${key.name}_lookup ON ${table} (${key.columns.join(', ')})${where}`);
  }
}

export interface CitusPlacement {
  /** 'reference', 'distributed', or 'citus local' (a coordinator table in Citus's metadata). */
  kind: 'reference' | 'distributed' | 'citus local';
  column: string | null;
  colocationId: number;
}

/** How each table is placed now, from Citus's catalogue. */
export async function citusPlacements(db: SqlDb): Promise<Map<string, CitusPlacement>> {
  const rows = await db.query(
    `SELECT logicalrelid::text AS name, partmethod, repmodel, column_to_column_name(logicalrelid, partkey) AS column,
            colocationid FROM pg_dist_partition`,
  );
  const kind = (r: SqlRow): CitusPlacement['kind'] =>
    r.partmethod === 'h' ? 'distributed' : r.repmodel === 't' ? 'reference' : 'citus local';
  return new Map(
    rows.map((r) => [col.text(r, 'name'), { kind: kind(r), column: col.textOrNull(r, 'column'), colocationId: col.number(r, 'colocationid') }]),
  );
}

/**
 * Places every table as CITUS_TABLES says, each in its own transaction: a crash between two
 * leaves the placed ones placed, and the next start places the rest (a placed table is skipped).
 * @throws Error naming every table that CITUS_TABLES does not place, before placing any
 */
export async function distributeForCitus(db: SqlDb): Promise<void> {
  const unplaced = await unplacedTables(db);
  if (unplaced.length) {
    throw new Error(
      `Citus: table(s) ${unplaced.join(', ')} not placed; add them to CITUS_TABLES in server/store/citus.ts (reference, distributed by a column, or local)`,
    );
  }
  for (const [table, placement] of Object.entries(CITUS_TABLES)) {
    if (placement.kind === 'local') continue;
    await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(7277017)`); // instances starting together place once
      // A table with a foreign key to a reference table becomes a "citus local" table as soon as
      // that one is placed (store, once city is): it is placed all the same.
      if ((await citusPlacements(tx)).get(table)?.kind === placement.kind) return;
      const exists = await tx.query(`SELECT to_regclass($1) AS t`, [table]);
      if (exists[0]!.t === null) return; // a table of a later migration not yet applied here
      if (placement.kind === 'reference') {
        await tx.query(`SELECT create_reference_table($1)`, [table]);
      } else {
        await rekeyUniques(tx, table, placement.column);
        await tx.query(`SELECT create_distributed_table($1, $2, colocate_with => $3)`, [
          table,
          placement.column,
          placement.colocateWith ?? 'default',
        ]);
      }
    });
  }
}
