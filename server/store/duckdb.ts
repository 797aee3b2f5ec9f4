/**
 * The embedded engine (default): one DuckDB file under DATA_DIR, served by this process.
 */
import { existsSync, renameSync, statSync } from 'node:fs';
import { DuckDBInstance, DuckDBTimestampTZValue } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBConnection, DuckDBPreparedStatement, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';
import { GroupCommitter } from './group-commit.js';
import { IngestJournal } from './ingest-journal.js';
import type { JournalBatch } from './ingest-journal.js';
import type { SqlDb, SqlRow, SqlValue } from './sql-db.js';
import { col } from './sql-rows.js';
import { ChangeSignal, FeedQueue } from './change-feed.js';
import { SqlIncidentStore } from './sql-store.js';
import { promoteStaged, STAGE_DDL, STAGE_EVENT_COLUMNS, STAGE_INCIDENT_COLUMNS, StagedIncidentWriter, toStagedEvents, toStagedIncident } from './staging.js';
import type { StageColumns } from './staging.js';
import { queryHexbins, queryIncidentPage } from './incident-queries.js';
import type { Hexbins, HexbinQuery, IncidentInput, IncidentListQuery, IncidentPage, IncidentWriter, Scope, User, WriteSummary, WriterOptions } from './types.js';

function dateToTimestampTZ(d: Date): DuckDBTimestampTZValue {
  return new DuckDBTimestampTZValue(BigInt(d.getTime()) * 1000n);
}

function toDuckValue(v: SqlValue): DuckDBValue {
  return v instanceof Date ? dateToTimestampTZ(v) : v;
}

/**
 * Queries one connection hands to the driver at a time. Each query handed over holds a thread of
 * libuv's pool (4 threads) while it waits for the connection: with no bound, 40 map requests
 * queued on the shared connection took every thread, and the ingest commit's statements on a
 * connection of their own (and the journal's fsync) waited behind all of them (bench:load: about
 * 250 ms per small statement). The rest wait here, in order. Measured under bench:load, runs
 * alternated: 2 gave map p95 3.5/4.7 s and ingest p95 3.3/3.6 s; 1 gave 4.5/5.1 s and
 * 3.3/3.4 s; no bound but a pool of 16 threads (UV_THREADPOOL_SIZE) 4.2/3.7 s and 11.5/10.6 s.
 */
const QUERIES_IN_FLIGHT_PER_CONNECTION = 2;

/**
 * What every connection to one database file shares (one process owns it): the change feed's
 * lock and wake-up (writers queue for the lock, and the release after their commit wakes the
 * process's subscribers), and the count of finished writes (DuckDbStore.sessionUser).
 */
interface DuckFeed {
  queue: FeedQueue;
  signal: ChangeSignal;
  writes: { generation: number };
}

/**
 * Whether a statement may change data: all but reads (a read naming INSERT, UPDATE or DELETE
 * anywhere counts as a write: a needless miss of the session cache at worst).
 */
function mayWrite(sql: string): boolean {
  return !/^\s*(SELECT|WITH|EXPLAIN|SHOW|DESCRIBE|SUMMARIZE)\b/i.test(sql) || /\b(INSERT|UPDATE|DELETE)\b/i.test(sql);
}

/** SqlDb over one DuckDB connection. Transactions get a connection of their own. */
class DuckDbConnectionDb implements SqlDb {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private feedRelease: (() => void) | null = null;
  /** Prepared statements by SQL text, least recently used first (`preparedStatements`). */
  private readonly prepared = new Map<string, { statement: DuckDBPreparedStatement; busy: boolean }>();

  /**
   * @param dedicated a connection of one transaction or one writer (may take the feed lock)
   * @param preparedStatements how many statements with parameters to keep prepared (0: none).
   *   A query with parameters is prepared, bound and run either way (the driver's run); keeping
   *   it prepared saves its parsing and binding the next time: measured on the 2M demo, one
   *   store's hexbins (q3) 4.5 -> 3.8 ms, medians of 60; the same plan, so no query gets slower.
   */
  constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    private readonly feed: DuckFeed,
    private readonly dedicated = false,
    private readonly maxInFlight = QUERIES_IN_FLIGHT_PER_CONNECTION,
    private readonly preparedStatements = 0,
  ) {}

  async lockChangeFeed(): Promise<void> {
    if (!this.dedicated) throw new Error('the change feed lock needs a transaction');
    this.feedRelease ??= await this.feed.queue.acquire();
  }

  async announceChanges(): Promise<void> {
    // subscribers are woken when the lock is released, after the commit (endTransaction)
  }

  /** After COMMIT or ROLLBACK: releases the feed lock, and wakes subscribers if it was held. */
  endTransaction(): void {
    const release = this.feedRelease;
    if (!release) return;
    this.feedRelease = null;
    release();
    this.feed.signal.notify();
  }

  async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    // a finished query hands its slot straight to the next in line, so the bound always holds
    if (this.inFlight >= this.maxInFlight) await new Promise<void>((r) => this.waiting.push(r));
    else this.inFlight++;
    try {
      const values = params.length ? params.map(toDuckValue) : undefined;
      const reader = values && this.preparedStatements > 0 ? await this.runPrepared(sql, values) : await this.connection.runAndReadAll(sql, values);
      return reader.getRowObjectsJS();
    } finally {
      // after it ended, committed or not (a COMMIT is a statement too): see DuckDbStore.sessionUser
      if (mayWrite(sql)) this.feed.writes.generation++;
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  /**
   * Runs `sql` through its kept prepared statement. A statement is bound and run by one query at a
   * time: while it is busy (the connection takes two queries in flight), the other runs unkept.
   */
  private async runPrepared(sql: string, values: DuckDBValue[]): Promise<DuckDBResultReader> {
    let entry = this.prepared.get(sql);
    if (entry?.busy) return this.connection.runAndReadAll(sql, values);
    if (entry) {
      this.prepared.delete(sql); // to the most recently used end
      this.prepared.set(sql, entry);
    } else {
      const statement = await this.connection.prepare(sql);
      if (this.prepared.has(sql)) {
        // prepared meanwhile by the other query in flight
        statement.destroySync();
        return this.connection.runAndReadAll(sql, values);
      }
      for (const [oldSql, old] of this.prepared) {
        if (this.prepared.size < this.preparedStatements) break;
        if (old.busy) continue;
        old.statement.destroySync();
        this.prepared.delete(oldSql);
      }
      entry = { statement, busy: false };
      this.prepared.set(sql, entry);
    }
    entry.busy = true;
    try {
      entry.statement.bind(values);
      return await entry.statement.runAndReadAll();
    } finally {
      entry.busy = false;
    }
  }

  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    const connection = await this.instance.connect();
    const tx = new DuckDbConnectionDb(this.instance, connection, this.feed, true);
    try {
      await connection.run('BEGIN TRANSACTION');
      try {
        const result = await fn(tx);
        try {
          await connection.run('COMMIT');
        } finally {
          this.feed.writes.generation++; // what was read before the commit may have changed
        }
        return result;
      } catch (error) {
        await connection.run('ROLLBACK');
        throw error;
      }
    } finally {
      tx.endTransaction();
      connection.closeSync();
    }
  }
}

/**
 * The physical order of DuckDB's incident rows. Measured on 2M rows (issue 12; one process,
 * the three orders interleaved): against batches in cell order, (city, store, cell) made the
 * one-store query 3.7x and the busy cell's list 2.6x faster and none of the five bench
 * queries slower; one global cell order came second.
 */
export const INCIDENT_ORDER = 'city_id, store_id, h3';

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

async function appendStaged(
  connection: DuckDBConnection,
  table: 'stage_incident' | 'stage_event',
  columns: StageColumns,
  rows: SqlValue[][],
): Promise<void> {
  const appender = await connection.createAppender(table, 'main', 'temp');
  for (const row of rows) {
    for (let c = 0; c < columns.length; c++) appendTyped(appender, columns[c]![1] as ColumnType, row[c]!);
    // staged incident rows carry one more column (id), filled at commit
    if (table === 'stage_incident') appender.appendNull();
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}

/** Stages through DuckDB's appender (columnar, no SQL per row) on a connection of its own. */
class DuckDbIncidentWriter extends StagedIncidentWriter {
  private constructor(
    private readonly db: DuckDbConnectionDb,
    opts?: WriterOptions,
  ) {
    // DuckDB keeps zone maps (min/max per row group): rows written in INCIDENT_ORDER let a
    // store's or a city's filter skip whole row groups.
    super(db, INCIDENT_ORDER, opts);
  }

  static async open(instance: DuckDBInstance, feed: DuckFeed, opts?: WriterOptions): Promise<DuckDbIncidentWriter> {
    const db = new DuckDbConnectionDb(instance, await instance.connect(), feed, true);
    for (const ddl of STAGE_DDL) await db.query(ddl);
    return new DuckDbIncidentWriter(db, opts);
  }

  protected stage(table: 'stage_incident' | 'stage_event', columns: StageColumns, rows: SqlValue[][]): Promise<void> {
    return appendStaged(this.db.connection, table, columns, rows);
  }

  protected async release(): Promise<void> {
    this.db.endTransaction();
    this.db.connection.closeSync();
  }
}

/** DuckDB's sizes as it prints them (`1.5 GiB`, `262144 bytes`, `1.0 GB`) in bytes; NaN when unreadable. */
export function parseByteSize(text: string): number {
  const m = /^\s*([\d.]+)\s*(bytes|[KMGTP]i?B)?\s*$/i.exec(text);
  if (!m) return Number.NaN;
  const unit = (m[2] ?? 'bytes').toUpperCase();
  const power = { BYTES: 0, KB: 1, MB: 2, GB: 3, TB: 4, PB: 5, KIB: 1, MIB: 2, GIB: 3, TIB: 4, PIB: 5 }[unit] ?? 0;
  const base = unit.includes('I') ? 1024 : 1000;
  return Math.round(Number(m[1]) * base ** power);
}

/**
 * Commits groups of ingest batches on one connection of its own, whose staging tables are made
 * once (TEMP tables: never in the WAL). A group's batches are staged with consecutive seq ranges
 * and promoted in one transaction, so that a key repeated across batches goes to the earlier one,
 * as if they were committed one after the other; each batch's inserted rows are counted by its
 * seq range before COMMIT.
 */
class DuckDbGroupWriter {
  private constructor(private readonly db: DuckDbConnectionDb) {}

  static async open(instance: DuckDBInstance, feed: DuckFeed): Promise<DuckDbGroupWriter> {
    const db = new DuckDbConnectionDb(instance, await instance.connect(), feed, true);
    for (const ddl of STAGE_DDL) await db.query(ddl);
    return new DuckDbGroupWriter(db);
  }

  async commitGroup(batches: readonly JournalBatch[]): Promise<WriteSummary[]> {
    // computed first, so that a bad row (CellError) fails before anything is staged
    const incidents: SqlValue[][] = [];
    const events: SqlValue[][] = [];
    const batchOfSeq: number[] = [0]; // seq starts at 1
    batches.forEach((batch, b) => {
      for (const row of batch) {
        const seq = batchOfSeq.push(b) - 1;
        incidents.push(toStagedIncident(seq, row));
        events.push(...toStagedEvents(seq, row));
      }
    });
    // what a failed group may have left
    await this.db.query('DELETE FROM stage_incident');
    await this.db.query('DELETE FROM stage_event');
    if (incidents.length) await appendStaged(this.db.connection, 'stage_incident', STAGE_INCIDENT_COLUMNS, incidents);
    if (events.length) await appendStaged(this.db.connection, 'stage_event', STAGE_EVENT_COLUMNS, events);
    const inserted = batches.map(() => 0);
    await this.db.query('BEGIN TRANSACTION');
    try {
      // DuckDB keeps zone maps: rows written in INCIDENT_ORDER let filters skip row groups; the
      // created incidents go into the change feed in the same transaction (under its lock)
      await promoteStaged(this.db, INCIDENT_ORDER);
      for (const r of await this.db.query('SELECT seq FROM stage_incident')) inserted[batchOfSeq[col.number(r, 'seq')]!]!++;
      await this.db.query('COMMIT');
    } catch (error) {
      await this.db.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      this.db.endTransaction(); // the feed lock, and the subscribers' wake-up
    }
    return batches.map((batch, b) => ({ inserted: inserted[b]!, duplicates: batch.length - inserted[b]! }));
  }

  close(): void {
    this.db.connection.closeSync();
  }
}

function isWalReplayFailure(error: unknown): boolean {
  return /replaying WAL/i.test(String((error as Error)?.message ?? error));
}

function walBytes(path: string): number {
  return existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0;
}

export interface DuckDbOpenOptions {
  /**
   * DuckDB's buffer memory, e.g. `1GB` (DuckDB's own default is 80 % of the machine's memory;
   * the server sets DUCKDB_MEMORY_LIMIT so that it stays a good neighbour).
   */
  memoryLimit?: string;
  /** The ingest journal is folded into a checkpoint once it holds this many bytes. */
  journalCheckpointBytes?: number;
  /** Where recovery is reported. */
  log?: (line: string) => void;
}

/** Records in one group commit at most (5,000 records make about 5 MB staged). */
const MAX_GROUP_RECORDS = 50_000;
/** Prepared statements kept on the map's connection: a few per filter shape in use. */
const MAP_PREPARED_STATEMENTS = 64;
/** Sessions the cache holds at most (emptied when full: a cache, not a registry). */
const SESSION_CACHE_SIZE = 1_000;
const DEFAULT_JOURNAL_CHECKPOINT_BYTES = 16 * 1024 * 1024;

export class DuckDbStore extends SqlIncidentStore {
  readonly engine = 'duckdb' as const;
  /** Where an unreplayable WAL was moved at open, when it was. */
  walSetAside: string | null = null;
  private journal: IngestJournal | null = null;
  private journalToReplay: JournalBatch[] | null = null;
  private groupWriter: Promise<DuckDbGroupWriter> | null = null;
  private readonly log: (line: string) => void;
  readonly committer: GroupCommitter<JournalBatch, WriteSummary>;
  /** Resolved sessions by token, valid at one write generation (sessionUser). */
  private readonly sessions = new Map<string, { user: User; generation: number; expiresAtMs: number }>();

  private constructor(
    private readonly instance: DuckDBInstance,
    protected readonly db: DuckDbConnectionDb,
    /**
     * The map's aggregations and lists on a connection of their own: the small lookups on the
     * main one (sessions, API keys, settings, the stores an ingest batch is checked against) no
     * longer wait behind them (bench:load: the ingest's key check and validation waited 1 s and
     * 1.2 s behind the map readers' queries, the group commit itself 0.7 s).
     */
    private readonly mapDb: DuckDbConnectionDb,
    readonly path: string,
    opts: DuckDbOpenOptions,
    private readonly feed: DuckFeed,
    protected readonly changeFeedDb: DuckDbConnectionDb,
  ) {
    super();
    this.log = opts.log ?? ((line) => console.warn(line));
    const journalCheckpointBytes = opts.journalCheckpointBytes ?? DEFAULT_JOURNAL_CHECKPOINT_BYTES;
    this.committer = new GroupCommitter<JournalBatch, WriteSummary>({
      commitGroup: async (batches) => {
        this.groupWriter ??= DuckDbGroupWriter.open(this.instance, this.feed);
        return (await this.groupWriter).commitGroup(batches);
      },
      // fsynced before any request of the group is answered: a 2xx means durable
      afterCommit: async (batches) => this.journal?.append(batches),
      betweenGroups: async () => {
        if (this.journal && this.journal.size >= journalCheckpointBytes) await this.checkpointAndEmptyJournal();
      },
      sizeOf: (batch) => batch.length,
      maxGroupRecords: MAX_GROUP_RECORDS,
    });
  }

  /**
   * Opens (creating if absent) the database file, or `:memory:`. When DuckDB cannot replay the
   * WAL (scripts/duckdb-wal-repro.ts), the WAL is set aside, the database opens at its last
   * checkpoint, and migrate() re-applies the acknowledged ingest batches from the journal.
   */
  static async open(path: string, opts: DuckDbOpenOptions = {}): Promise<DuckDbStore> {
    const config = opts.memoryLimit ? { memory_limit: opts.memoryLimit } : undefined;
    let instance: DuckDBInstance;
    let setAside: string | null = null;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (error) {
      if (path === ':memory:' || !isWalReplayFailure(error) || !existsSync(`${path}.wal`)) throw error;
      setAside = `${path}.wal.unreplayable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(`${path}.wal`, setAside);
      (opts.log ?? console.warn)(
        `DuckDB could not replay its WAL (${String((error as Error).message).split('\n')[0]}); ` +
          `kept it as ${setAside} and opened the last checkpoint; the ingest journal re-applies what was acknowledged since.`,
      );
      instance = await DuckDBInstance.create(path, config);
    }
    const feed: DuckFeed = { queue: new FeedQueue(), signal: new ChangeSignal(), writes: { generation: 0 } };
    const store = new DuckDbStore(
      instance,
      // one query at a time on the main connection: the pool's other threads stay for the map
      // connection (two), the group commit and the journal's fsync
      new DuckDbConnectionDb(instance, await instance.connect(), feed, false, 1),
      new DuckDbConnectionDb(instance, await instance.connect(), feed, false, 2, MAP_PREPARED_STATEMENTS),
      path,
      opts,
      feed,
      // the change feed reads on a connection of its own: live updates do not queue behind the
      // map's queries (one statement at a time per connection)
      new DuckDbConnectionDb(instance, await instance.connect(), feed),
    );
    store.walSetAside = setAside;
    if (path !== ':memory:') {
      const { journal, batches } = await IngestJournal.open(`${path}.ingest-journal`);
      store.journal = journal;
      store.journalToReplay = batches;
    }
    return store;
  }

  override async migrate(opts: { upTo?: number; log?: (line: string) => void; batchRows?: number } = {}): Promise<void> {
    await super.migrate(opts);
    // No DDL may stay in the WAL: DuckDB 1.5 cannot replay an ALTER ... TYPE <enum> after a
    // crash (scripts/duckdb-wal-repro.ts). A crash before this checkpoint is recovered by open().
    await this.db.query('CHECKPOINT');
    // the journal's batches belong to the full schema: a partial migration (restore) leaves them
    if (opts.upTo === undefined) await this.replayJournal();
  }

  /** Re-applies the journal's batches (idempotent on (source, external_id)), then folds them into a checkpoint. */
  private async replayJournal(): Promise<void> {
    const batches = this.journalToReplay;
    if (!batches) return;
    this.journalToReplay = null;
    if (batches.length) {
      const writer = await this.openIncidentWriter();
      try {
        for (const batch of batches) await writer.write(batch);
      } catch (error) {
        await writer.rollback();
        throw error;
      }
      const summary = await writer.commit();
      if (summary.inserted || this.walSetAside) {
        this.log(`ingest journal: ${batches.length} acknowledged batches re-applied, ${summary.inserted} records were missing`);
      }
    }
    await this.checkpointAndEmptyJournal();
  }

  /** Folds the WAL into the database file (the journal is left to the committer, see below). */
  override async checkpoint(): Promise<void> {
    await this.db.query('CHECKPOINT');
  }

  /**
   * Checkpoints, then empties the ingest journal when the WAL is really gone and the journal was
   * re-applied at start, so that nothing in it is needed. Called only where no group can be
   * appending: between groups, before ingest starts, after the last group at close.
   */
  private async checkpointAndEmptyJournal(): Promise<void> {
    await this.checkpoint();
    if (this.journal && this.journalToReplay === null && this.journal.size > 0 && walBytes(this.path) === 0) {
      await this.journal.reset();
    }
  }

  /** One ingest batch, committed with whatever else is queued; durable when it resolves. */
  override ingest(incidents: readonly IncidentInput[]): Promise<WriteSummary> {
    return this.committer.submit(incidents);
  }

  /**
   * Rewrites the incident table in INCIDENT_ORDER (after a bulk load: writers order each batch,
   * not the whole table). One transaction, then a checkpoint: a crash in the middle leaves the
   * table as it was. Memory: the sorted copy spills past DUCKDB_MEMORY_LIMIT to DuckDB's
   * temporary files.
   */
  async sortIncidents(): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`CREATE TEMP TABLE incident_sorted AS SELECT * FROM incident ORDER BY ${INCIDENT_ORDER}`);
      await tx.query(`DELETE FROM incident`);
      await tx.query(`INSERT INTO incident SELECT * FROM incident_sorted`);
      await tx.query(`DROP TABLE incident_sorted`);
    });
    await this.checkpoint();
  }

  openIncidentWriter(opts?: WriterOptions): Promise<IncidentWriter> {
    return DuckDbIncidentWriter.open(this.instance, this.feed, opts);
  }

  protected watchChanges(listener: () => void): () => void {
    return this.feed.signal.on(listener);
  }

  /**
   * For /metrics: DuckDB has no connection pool; what applies is its buffer memory (against the
   * memory limit) and the size of the database file and its WAL.
   */
  async memoryStats(): Promise<{ memoryBytes: number; memoryLimitBytes: number; databaseBytes: number; walBytes: number }> {
    const [m] = await this.db.query(`SELECT coalesce(sum(memory_usage_bytes), 0) AS used, current_setting('memory_limit') AS limit_text FROM duckdb_memory()`);
    const [size] = await this.db.query(`SELECT database_size, wal_size FROM pragma_database_size() WHERE database_name = current_database()`);
    return {
      memoryBytes: Number(m!.used),
      memoryLimitBytes: parseByteSize(String(m!.limit_text)),
      databaseBytes: parseByteSize(String(size?.database_size ?? '0 bytes')),
      walBytes: parseByteSize(String(size?.wal_size ?? '0 bytes')),
    };
  }

  /**
   * Every signed-in request resolves its session: three statements on the main connection,
   * about 3 ms of a one-store map request's 16 (bench q3). One process owns the file, and every
   * write to it, the command-line jobs' included (ops/channel.ts), goes through this store's
   * connections, which count each write as it ends (DuckFeed.writes). So an answer read before
   * the latest write is still right, and is kept until the next write or the session's end.
   */
  override async sessionUser(token: string): Promise<User | null> {
    const hit = this.sessions.get(token);
    if (hit && hit.generation === this.feed.writes.generation && hit.expiresAtMs > Date.now()) return hit.user;
    const generation = this.feed.writes.generation;
    const session = await this.sessionOf(token);
    if (session && generation === this.feed.writes.generation) {
      if (this.sessions.size >= SESSION_CACHE_SIZE) this.sessions.clear();
      const user = Object.freeze({ ...session.user, storeIds: Object.freeze([...session.user.storeIds]) }) as User;
      this.sessions.set(token, { user, generation, expiresAtMs: session.expiresAt.getTime() });
      return user;
    }
    return session?.user ?? null;
  }

  override hexbins(query: HexbinQuery, scope: Scope): Promise<Hexbins> {
    // status and review are ENUMs here (001_init.duckdb.sql): compared with literals of their types
    return queryHexbins(this.mapDb, query, scope, { enumTypes: { status: 'incident_status', review: 'review_state' } });
  }

  override listIncidents(query: IncidentListQuery, scope: Scope): Promise<IncidentPage> {
    return queryIncidentPage(this.mapDb, query, scope);
  }

  /** Plain SQL on this database, for tools that measure or inspect it (the benchmark's baseline). */
  sqlForBench(): SqlDb {
    return this.db;
  }

  async close(): Promise<void> {
    await this.committer.flush();
    if (this.groupWriter) (await this.groupWriter.catch(() => null))?.close();
    // fold the WAL into the file, so that the next start does not have to replay it
    await this.checkpointAndEmptyJournal().catch(() => undefined);
    await this.journal?.close();
    this.mapDb.connection.closeSync();
    this.changeFeedDb.connection.closeSync();
    this.db.connection.closeSync();
    this.instance.closeSync();
  }
}
