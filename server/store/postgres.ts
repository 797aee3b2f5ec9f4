/**
 * The server engine: PostgreSQL through `pg` (DATABASE_URL=postgres://...). Several app instances
 * may share one database. On a Citus coordinator (the `citus` extension present), the tables are
 * placed after the migrations: incidents distribute by shard key (server/store/citus.ts).
 */
import pg from 'pg';
import { distributeForCitus, hasCitus } from './citus.js';
import type { SqlDb, SqlRow, SqlValue } from './sql-db.js';
import { ChangeSignal, FEED_CHANNEL, FEED_LOCK_KEY } from './change-feed.js';
import { SqlIncidentStore } from './sql-store.js';
import { STAGE_DDL, StagedIncidentWriter } from './staging.js';
import type { StageColumns } from './staging.js';
import type { IncidentWriter, WriterOptions } from './types.js';

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
};

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

  async lockChangeFeed(): Promise<void> {
    // released by COMMIT or ROLLBACK; a no-op outside BEGIN, so callers hold it only in transactions
    await this.client.query(`SELECT pg_advisory_xact_lock(${FEED_LOCK_KEY})`);
  }

  async announceChanges(): Promise<void> {
    // sent at commit (never for a rolled-back transaction), to every instance that listens
    await this.client.query(`SELECT pg_notify('${FEED_CHANNEL}', (SELECT max(id)::text FROM incident_change))`);
  }
}

class PgPoolDb implements SqlDb {
  /** Set once the database is known to be a Citus coordinator. */
  distributed = false;

  constructor(readonly pool: pg.Pool) {}

  async lockChangeFeed(): Promise<void> {
    throw new Error('the change feed lock needs a transaction');
  }

  async announceChanges(): Promise<void> {
    throw new Error('change feed writes need a transaction');
  }

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
    opts?: WriterOptions,
  ) {
    super(new PgClientDb(client, distributed), 'store_id, occurred_at', opts);
  }

  static async open(pool: pg.Pool, distributed: boolean, opts?: WriterOptions): Promise<PgIncidentWriter> {
    const client = await pool.connect();
    try {
      for (const ddl of STAGE_DDL) await client.query(ddl);
    } catch (error) {
      client.release(true);
      throw error;
    }
    return new PgIncidentWriter(client, distributed, opts);
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

  private readonly signal = new ChangeSignal();
  private listener: pg.Client | null = null;
  private listening: Promise<void> | null = null;
  private closed = false;

  private constructor(
    protected readonly db: PgPoolDb,
    private readonly url: string,
    protected readonly changeFeedDb: PgPoolDb,
  ) {
    super();
  }

  static async open(url: string, opts: { max?: number } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, types });
    await pool.query('SELECT 1'); // fail at start, with the driver's message, when unreachable
    // the change feed reads on connections of its own: live updates do not wait for a
    // connection behind the map's queries (opened on first use)
    const feedPool = new pg.Pool({ connectionString: url, max: 2, types });
    return new PostgresStore(new PgPoolDb(pool), url, new PgPoolDb(feedPool));
  }

  /**
   * One LISTEN connection per instance, opened with the first subscriber. Every instance's
   * commits to the change feed NOTIFY it; a lost connection is reopened after a second (the
   * subscribers meanwhile poll: server/routers/live.ts).
   */
  protected watchChanges(listener: () => void): () => void {
    this.listening ??= this.listen();
    return this.signal.on(listener);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, types });
    const retry = () => {
      client.removeAllListeners();
      client.end().catch(() => undefined);
      if (this.listener === client) this.listener = null;
      if (this.closed) return;
      setTimeout(() => {
        if (!this.closed) this.listening = this.listen();
      }, 1000).unref();
    };
    client.on('notification', () => this.signal.notify());
    client.on('error', retry);
    try {
      await client.connect();
      await client.query(`LISTEN ${FEED_CHANNEL}`);
      this.listener = client;
      if (this.closed) await client.end();
      else this.signal.notify(); // whatever was committed while not listening
    } catch {
      retry();
    }
  }

  protected override async migrationLock(tx: SqlDb): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(7277001)`); // one migrator among instances starting together
  }

  /** True on a Citus coordinator (known after migrate()). */
  get distributed(): boolean {
    return this.db.distributed;
  }

  /** The migrations, then on Citus the placement of every table (reference or distributed). */
  override async migrate(opts: { upTo?: number; log?: (line: string) => void; batchRows?: number } = {}): Promise<void> {
    await super.migrate(opts);
    this.db.distributed = await hasCitus(this.db);
    // a restore migrates in two steps: tables are placed once the schema is complete
    if (this.db.distributed && opts.upTo === undefined) await distributeForCitus(this.db);
  }

  openIncidentWriter(opts?: WriterOptions): Promise<IncidentWriter> {
    return PgIncidentWriter.open(this.db.pool, this.db.distributed, opts);
  }

  /** Plain SQL on this database, for tools that measure or inspect it (the benchmark's fan-out). */
  sqlForBench(): SqlDb {
    return this.db;
  }

  /** The connection pool now, for /metrics: open, idle, and requests waiting for a connection. */
  poolStats(): { total: number; idle: number; waiting: number; max: number } {
    const pool = this.db.pool;
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 };
  }

  /** Planner statistics after a bulk load (autovacuum would get there, later). */
  async analyze(): Promise<void> {
    await this.db.query('ANALYZE');
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listening?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    await this.changeFeedDb.pool.end();
    await this.db.pool.end();
  }
}
