/**
 * The server engine: PostgreSQL through `pg` (DATABASE_URL=postgres://...). Several app instances
 * may share one database. On a Citus coordinator (the `citus` extension present), the tables are
 * placed after the migrations: incidents distribute by shard key (server/store/citus.ts).
 */
import pg from 'pg';
import { distributeForCitus, hasCitus } from './citus.js';
import type { SqlDb, SqlRow, SqlValue } from './sql-db.js';
import { SqlIncidentStore } from './sql-store.js';
import { STAGE_DDL, StagedIncidentWriter } from './staging.js';
import type { StageColumns } from './staging.js';
import type { IncidentWriter } from './types.js';

const INT8_OID = 20;
const TIMESTAMP_OID = 1114;

/**
 * int8 as BigInt (H3 cells need all 64 bits; counts go through num()); `timestamp without time
 * zone` (a zone-local bucket) as the UTC Date of its wall time, the same as DuckDB returns it.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (v: string) => BigInt(v);
    if (oid === TIMESTAMP_OID) return (v: string) => new Date(v.replace(' ', 'T') + 'Z');
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

function toPgValue(v: SqlValue): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

class PgClientDb implements SqlDb {
  constructor(
    private readonly client: pg.PoolClient,
    readonly distributed = false,
  ) {}

  async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return (await this.client.query(sql, params.map(toPgValue))).rows as SqlRow[];
  }

  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    // already on one connection: nest as a savepoint-free inline call
    return fn(this);
  }
}

class PgPoolDb implements SqlDb {
  /** Set once the database is known to be a Citus coordinator. */
  distributed = false;

  constructor(readonly pool: pg.Pool) {}

  async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return (await this.pool.query(sql, params.map(toPgValue))).rows as SqlRow[];
  }

  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      try {
        const result = await fn(new PgClientDb(client, this.distributed));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    } finally {
      client.release();
    }
  }
}

/** Stages with one multi-row INSERT ... SELECT FROM unnest(arrays) per batch: one round trip. */
class PgIncidentWriter extends StagedIncidentWriter {
  private constructor(
    private readonly client: pg.PoolClient,
    private readonly distributed: boolean,
  ) {
    super(new PgClientDb(client, distributed), 'store_id, occurred_at');
  }

  static async open(pool: pg.Pool, distributed: boolean): Promise<PgIncidentWriter> {
    const client = await pool.connect();
    try {
      for (const ddl of STAGE_DDL) await client.query(ddl);
    } catch (error) {
      client.release(true);
      throw error;
    }
    return new PgIncidentWriter(client, distributed);
  }

  /**
   * On Citus the unique key of (source, external_id) holds per shard only (a distributed table's
   * unique keys must contain the shard key), and one record re-sent with another store would land
   * on another shard. So promotions take turns on the coordinator: each one's check for existing
   * keys sees every earlier commit. A plain server keeps the unique index of migration 001.
   */
  protected override async beforePromote(): Promise<void> {
    if (this.distributed) await this.client.query(`SELECT pg_advisory_xact_lock(7277018)`);
  }

  protected async stage(table: 'stage_incident' | 'stage_event', columns: StageColumns, rows: SqlValue[][]): Promise<void> {
    const arrays = columns.map((_, c) => rows.map((r) => toPgValue(r[c]!)));
    const casts = columns.map(([, type], c) => `$${c + 1}::${type}[]`);
    await this.client.query(
      `INSERT INTO ${table} (${columns.map(([n]) => n).join(', ')}) SELECT * FROM unnest(${casts.join(', ')})`,
      arrays,
    );
  }

  protected async release(): Promise<void> {
    try {
      await this.client.query('DROP TABLE IF EXISTS stage_incident; DROP TABLE IF EXISTS stage_event');
      this.client.release();
    } catch {
      this.client.release(true); // a broken connection is closed rather than reused
    }
  }
}

export class PostgresStore extends SqlIncidentStore {
  readonly engine = 'postgres' as const;

  private constructor(protected readonly db: PgPoolDb) {
    super();
  }

  static async open(url: string, opts: { max?: number } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, types });
    await pool.query('SELECT 1'); // fail at start, with the driver's message, when unreachable
    return new PostgresStore(new PgPoolDb(pool));
  }

  protected override async migrationLock(tx: SqlDb): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(7277001)`); // one migrator among instances starting together
  }

  /** True on a Citus coordinator (known after migrate()). */
  get distributed(): boolean {
    return this.db.distributed;
  }

  /** The migrations, then on Citus the placement of every table (reference or distributed). */
  override async migrate(): Promise<void> {
    await super.migrate();
    this.db.distributed = await hasCitus(this.db);
    if (this.db.distributed) await distributeForCitus(this.db);
  }

  openIncidentWriter(): Promise<IncidentWriter> {
    return PgIncidentWriter.open(this.db.pool, this.db.distributed);
  }

  /** Plain SQL on this database, for tools that measure or inspect it (the benchmark's fan-out). */
  sqlForBench(): SqlDb {
    return this.db;
  }

  /** Planner statistics after a bulk load (autovacuum would get there, later). */
  async analyze(): Promise<void> {
    await this.db.query('ANALYZE');
  }

  async close(): Promise<void> {
    await this.db.pool.end();
  }
}
