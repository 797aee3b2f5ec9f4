/**
 * The embedded engine (default): one DuckDB file under DATA_DIR, served by this process.
 */
import { DuckDBInstance, DuckDBTimestampTZValue } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { SqlDb, SqlRow, SqlValue } from './sql-db.js';
import { SqlIncidentStore } from './sql-store.js';
import { STAGE_DDL, StagedIncidentWriter } from './staging.js';
import type { STAGE_EVENT_COLUMNS, STAGE_INCIDENT_COLUMNS, StageColumns } from './staging.js';
import type { IncidentWriter } from './types.js';

function dateToTimestampTZ(d: Date): DuckDBTimestampTZValue {
  return new DuckDBTimestampTZValue(BigInt(d.getTime()) * 1000n);
}

function toDuckValue(v: SqlValue): DuckDBValue {
  return v instanceof Date ? dateToTimestampTZ(v) : v;
}

/** SqlDb over one DuckDB connection. Transactions get a connection of their own. */
class DuckDbConnectionDb implements SqlDb {
  constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    const reader = await this.connection.runAndReadAll(sql, params.length ? params.map(toDuckValue) : undefined);
    return reader.getRowObjectsJS() as SqlRow[];
  }

  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    const connection = await this.instance.connect();
    const tx = new DuckDbConnectionDb(this.instance, connection);
    try {
      await connection.run('BEGIN TRANSACTION');
      try {
        const result = await fn(tx);
        await connection.run('COMMIT');
        return result;
      } catch (error) {
        await connection.run('ROLLBACK');
        throw error;
      }
    } finally {
      connection.closeSync();
    }
  }
}

type ColumnType = (typeof STAGE_INCIDENT_COLUMNS)[number][1] | (typeof STAGE_EVENT_COLUMNS)[number][1];

function appendTyped(appender: DuckDBAppender, type: ColumnType, v: SqlValue): void {
  if (v === null) return appender.appendNull();
  switch (type) {
    case 'BIGINT':
      return appender.appendBigInt(BigInt(v as number | bigint));
    case 'INTEGER':
      return appender.appendInteger(v as number);
    case 'SMALLINT':
      return appender.appendSmallInt(v as number);
    case 'DOUBLE PRECISION':
      return appender.appendDouble(v as number);
    case 'TIMESTAMPTZ':
      return appender.appendTimestampTZ(dateToTimestampTZ(v as Date));
    case 'TEXT':
      return appender.appendVarchar(String(v));
  }
}

/** Stages through DuckDB's appender (columnar, no SQL per row) on a connection of its own. */
class DuckDbIncidentWriter extends StagedIncidentWriter {
  private constructor(private readonly db: DuckDbConnectionDb) {
    // DuckDB keeps zone maps (min/max per row group): rows written in cell order let
    // spatial filters skip whole row groups.
    super(db, 'h3');
  }

  static async open(instance: DuckDBInstance): Promise<DuckDbIncidentWriter> {
    const db = new DuckDbConnectionDb(instance, await instance.connect());
    for (const ddl of STAGE_DDL) await db.query(ddl);
    return new DuckDbIncidentWriter(db);
  }

  protected async stage(table: 'stage_incident' | 'stage_event', columns: StageColumns, rows: SqlValue[][]): Promise<void> {
    const appender = await this.db.connection.createAppender(table, 'main', 'temp');
    for (const row of rows) {
      for (let c = 0; c < columns.length; c++) appendTyped(appender, columns[c]![1] as ColumnType, row[c]!);
      // staged incident rows carry one more column (id), filled at commit
      if (table === 'stage_incident') appender.appendNull();
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
  }

  protected async release(): Promise<void> {
    this.db.connection.closeSync();
  }
}

export class DuckDbStore extends SqlIncidentStore {
  readonly engine = 'duckdb' as const;

  private constructor(
    private readonly instance: DuckDBInstance,
    protected readonly db: DuckDbConnectionDb,
    readonly path: string,
  ) {
    super();
  }

  /** Opens (creating if absent) the database file, or `:memory:`. */
  /**
   * @param opts.memoryLimit DuckDB's buffer memory, e.g. `1GB` (DuckDB's own default is 80 % of
   *   the machine's memory; the server sets DUCKDB_MEMORY_LIMIT so that it stays a good neighbour).
   */
  static async open(path: string, opts: { memoryLimit?: string } = {}): Promise<DuckDbStore> {
    const instance = await DuckDBInstance.create(path, opts.memoryLimit ? { memory_limit: opts.memoryLimit } : undefined);
    return new DuckDbStore(instance, new DuckDbConnectionDb(instance, await instance.connect()), path);
  }

  openIncidentWriter(): Promise<IncidentWriter> {
    return DuckDbIncidentWriter.open(this.instance);
  }

  /** Migrations, then a checkpoint: DDL is folded into the file instead of waiting in the WAL. */
  override async migrate(): Promise<void> {
    await super.migrate();
    await this.db.query('CHECKPOINT');
  }

  /** Plain SQL on this database, for tools that measure or inspect it (the benchmark's baseline). */
  sqlForBench(): SqlDb {
    return this.db;
  }

  async close(): Promise<void> {
    // fold the WAL into the file, so that the next start does not have to replay it
    await this.db.query('CHECKPOINT').catch(() => undefined);
    this.db.connection.closeSync();
    this.instance.closeSync();
  }
}
