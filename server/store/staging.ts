/**
 * The bulk-write path shared by both engines: rows go to per-connection temporary staging tables,
 * and commit() moves the new ones into incident / incident_event in one transaction. Nothing is
 * visible before commit, re-ingest is idempotent on (source, external_id), and the Node process
 * never holds a whole file.
 */
import { latLngToServedCellIds } from '../domain/h3-cells.js';
import { recordCreated } from './change-feed.js';
import { shardKeySql } from './citus.js';
import type { SqlDb, SqlValue } from './sql-db.js';
import { num } from './sql-db.js';
import type { IncidentInput, IncidentWriter, WriteSummary, WriterOptions } from './types.js';

/** Staged incident columns, in appender / unnest order. */
export const STAGE_INCIDENT_COLUMNS = [
  ['seq', 'BIGINT'],
  ['kind', 'TEXT'],
  ['category', 'TEXT'],
  ['severity', 'SMALLINT'],
  ['occurred_at', 'TIMESTAMPTZ'],
  ['lat', 'DOUBLE PRECISION'],
  ['lng', 'DOUBLE PRECISION'],
  ['h3', 'BIGINT'], // the containing cell at resolution 11, then at 5..10 (cell-columns.ts)
  ['h3_5', 'BIGINT'],
  ['h3_6', 'BIGINT'],
  ['h3_7', 'BIGINT'],
  ['h3_8', 'BIGINT'],
  ['h3_9', 'BIGINT'],
  ['h3_10', 'BIGINT'],
  ['city_id', 'INTEGER'],
  ['store_id', 'INTEGER'],
  ['rider_id', 'TEXT'],
  ['description', 'TEXT'],
  ['photo_urls', 'TEXT'],
  ['source', 'TEXT'],
  ['external_id', 'TEXT'],
  ['ai_label', 'TEXT'],
  ['ai_confidence', 'DOUBLE PRECISION'],
  ['review', 'TEXT'],
  ['status', 'TEXT'],
  ['assignee', 'TEXT'],
  ['due_at', 'TIMESTAMPTZ'],
  ['closed_at', 'TIMESTAMPTZ'],
  ['resolution', 'TEXT'],
  ['created_at', 'TIMESTAMPTZ'],
  ['ai_model_version', 'TEXT'],
] as const;

export const STAGE_EVENT_COLUMNS = [
  ['seq', 'BIGINT'], // the staged incident's seq
  ['happened_at', 'TIMESTAMPTZ'],
  ['actor', 'TEXT'],
  ['from_status', 'TEXT'],
  ['to_status', 'TEXT'],
  ['note', 'TEXT'],
] as const;

export type StageColumns = ReadonlyArray<readonly [name: string, type: string]>;

export const STAGE_DDL = [
  `CREATE TEMP TABLE stage_incident (${STAGE_INCIDENT_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')}, id BIGINT)`,
  `CREATE TEMP TABLE stage_event (${STAGE_EVENT_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`,
];

/**
 * One incident as staged values: computes the containing cell at every served resolution
 * (throws CellError for bad coordinates).
 */
export function toStagedIncident(seq: number, row: IncidentInput): SqlValue[] {
  const [c5, c6, c7, c8, c9, c10, c11] = latLngToServedCellIds(row.lat, row.lng);
  return [
    seq,
    row.kind,
    row.category,
    row.severity,
    row.occurredAt,
    row.lat,
    row.lng,
    c11!,
    c5!,
    c6!,
    c7!,
    c8!,
    c9!,
    c10!,
    row.cityId,
    row.storeId,
    row.riderId,
    row.description,
    JSON.stringify(row.photoUrls),
    row.source,
    row.externalId,
    row.aiLabel,
    row.aiConfidence,
    row.review,
    row.status,
    row.assignee,
    row.dueAt,
    row.closedAt,
    row.resolution,
    row.createdAt ?? row.occurredAt,
    row.aiModelVersion ?? null,
  ];
}

export function toStagedEvents(seq: number, row: IncidentInput): SqlValue[][] {
  return row.events.map((e) => [seq, e.at, e.actor, e.fromStatus, e.toStatus, e.note]);
}

/**
 * Moves the staged rows into the real tables, within the caller's transaction.
 * `order` is the engine's preferred physical order of new incident rows. The new incidents go
 * into the change feed in the same transaction unless `changeFeed` is false.
 */
export async function promoteStaged(tx: SqlDb, order: string, changeFeed = true): Promise<WriteSummary> {
  const staged = num((await tx.query(`SELECT count(*) AS n FROM stage_incident`))[0]!.n);
  // A join rather than a correlated EXISTS: Citus cannot plan a correlated subquery from a local
  // table into a distributed one, but runs this join on every shard with the staged keys shipped.
  await tx.query(
    `DELETE FROM stage_incident WHERE seq IN (
       SELECT s.seq FROM stage_incident s JOIN incident i ON i.source = s.source AND i.external_id = s.external_id)`,
  );
  // the first occurrence of a key within the batch wins
  await tx.query(
    `DELETE FROM stage_incident WHERE seq NOT IN (SELECT min(seq) FROM stage_incident GROUP BY source, external_id)`,
  );
  await tx.query(`UPDATE stage_incident SET id = nextval('incident_id_seq')`);
  const cols = STAGE_INCIDENT_COLUMNS.slice(1).map(([n]) => n);
  await tx.query(
    `INSERT INTO incident (id, ${cols.join(', ')}, version, updated_at, shard_key)
     SELECT id, ${cols.join(', ')}, 1, created_at, ${shardKeySql('stage_incident')} FROM stage_incident ORDER BY ${order}`,
  );
  await tx.query(
    `INSERT INTO incident_event (incident_id, store_id, shard_key, happened_at, actor, from_status, to_status, note)
     SELECT s.id, s.store_id, ${shardKeySql('s')}, e.happened_at, e.actor, e.from_status, e.to_status, e.note
     FROM stage_event e JOIN stage_incident s ON s.seq = e.seq ORDER BY s.id, e.happened_at`,
  );
  const inserted = num((await tx.query(`SELECT count(*) AS n FROM stage_incident`))[0]!.n);
  // last: the feed lock is held from here to the commit (server/store/change-feed.ts)
  if (changeFeed && inserted > 0) await recordCreated(tx);
  return { inserted, duplicates: staged - inserted };
}

/**
 * The writer both engines use: rows staged on one dedicated connection, promoted in one
 * transaction on commit. Engines supply how rows reach the stage and how the connection ends.
 */
export abstract class StagedIncidentWriter implements IncidentWriter {
  private seq = 0;
  private done = false;

  /**
   * @param tx the writer's own connection (temporary tables are per connection)
   * @param order the engine's preferred physical order of new incident rows
   */
  protected constructor(
    protected readonly tx: SqlDb,
    private readonly order: string,
    private readonly opts: WriterOptions = {},
  ) {}

  /** Appends rows (values in `columns` order) to a staging table. */
  protected abstract stage(table: 'stage_incident' | 'stage_event', columns: StageColumns, rows: SqlValue[][]): Promise<void>;
  /** Ends the connection; the staging tables go with it. */
  protected abstract release(): Promise<void>;
  /** Runs first in the promoting transaction (an engine's lock, when it needs one). */
  protected async beforePromote(): Promise<void> {}

  async write(rows: readonly IncidentInput[]): Promise<void> {
    if (this.done) throw new Error('writer already committed or rolled back');
    // compute every staged value first, so a bad row (CellError) leaves the stage untouched
    const incidents: SqlValue[][] = [];
    const events: SqlValue[][] = [];
    for (const row of rows) {
      const seq = ++this.seq;
      incidents.push(toStagedIncident(seq, row));
      events.push(...toStagedEvents(seq, row));
    }
    if (incidents.length) await this.stage('stage_incident', STAGE_INCIDENT_COLUMNS, incidents);
    if (events.length) await this.stage('stage_event', STAGE_EVENT_COLUMNS, events);
  }

  async commit(): Promise<WriteSummary> {
    if (this.done) throw new Error('writer already committed or rolled back');
    this.done = true;
    try {
      await this.tx.query('BEGIN');
      try {
        await this.beforePromote();
        const summary = await promoteStaged(this.tx, this.order, this.opts.changeFeed !== false);
        await this.tx.query('COMMIT');
        return summary;
      } catch (error) {
        await this.tx.query('ROLLBACK');
        throw error;
      }
    } finally {
      await this.release();
    }
  }

  async rollback(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.release();
  }
}
