/**
 * The bulk-write path shared by both engines: rows go to per-connection temporary staging tables,
 * and commit() moves the new ones into incident / incident_event in one transaction. Nothing is
 * visible before commit, re-ingest is idempotent on (source, external_id), and the Node process
 * never holds a whole file.
 */
import { latLngToCellId } from '../domain/h3-cells.js';
import type { SqlDb, SqlValue } from './sql-db.js';
import { num } from './sql-db.js';
import type { IncidentInput, WriteSummary } from './types.js';

/** Staged incident columns, in appender / unnest order. */
export const STAGE_INCIDENT_COLUMNS = [
  ['seq', 'BIGINT'],
  ['kind', 'TEXT'],
  ['category', 'TEXT'],
  ['severity', 'SMALLINT'],
  ['occurred_at', 'TIMESTAMPTZ'],
  ['lat', 'DOUBLE PRECISION'],
  ['lng', 'DOUBLE PRECISION'],
  ['h3', 'BIGINT'],
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
] as const;

export const STAGE_EVENT_COLUMNS = [
  ['seq', 'BIGINT'], // the staged incident's seq
  ['happened_at', 'TIMESTAMPTZ'],
  ['actor', 'TEXT'],
  ['from_status', 'TEXT'],
  ['to_status', 'TEXT'],
  ['note', 'TEXT'],
] as const;

export const STAGE_DDL = [
  `CREATE TEMP TABLE stage_incident (${STAGE_INCIDENT_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')}, id BIGINT)`,
  `CREATE TEMP TABLE stage_event (${STAGE_EVENT_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`,
];

/** One incident as staged values (computes the H3 cell; throws CellError for bad coordinates). */
export function toStagedIncident(seq: number, row: IncidentInput): SqlValue[] {
  return [
    seq,
    row.kind,
    row.category,
    row.severity,
    row.occurredAt,
    row.lat,
    row.lng,
    latLngToCellId(row.lat, row.lng),
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
  ];
}

export function toStagedEvents(seq: number, row: IncidentInput): SqlValue[][] {
  return row.events.map((e) => [seq, e.at, e.actor, e.fromStatus, e.toStatus, e.note]);
}

/**
 * Moves the staged rows into the real tables, within the caller's transaction.
 * `order` is the engine's preferred physical order of new incident rows.
 */
export async function promoteStaged(tx: SqlDb, order: string): Promise<WriteSummary> {
  const staged = num((await tx.query(`SELECT count(*) AS n FROM stage_incident`))[0]!.n);
  await tx.query(
    `DELETE FROM stage_incident WHERE EXISTS (
       SELECT 1 FROM incident i WHERE i.source = stage_incident.source AND i.external_id = stage_incident.external_id)`,
  );
  // the first occurrence of a key within the batch wins
  await tx.query(
    `DELETE FROM stage_incident WHERE seq NOT IN (SELECT min(seq) FROM stage_incident GROUP BY source, external_id)`,
  );
  await tx.query(`UPDATE stage_incident SET id = nextval('incident_id_seq')`);
  const cols = STAGE_INCIDENT_COLUMNS.slice(1).map(([n]) => n);
  await tx.query(
    `INSERT INTO incident (id, ${cols.join(', ')}, version, updated_at)
     SELECT id, ${cols.join(', ')}, 1, created_at FROM stage_incident ORDER BY ${order}`,
  );
  await tx.query(
    `INSERT INTO incident_event (incident_id, store_id, happened_at, actor, from_status, to_status, note)
     SELECT s.id, s.store_id, e.happened_at, e.actor, e.from_status, e.to_status, e.note
     FROM stage_event e JOIN stage_incident s ON s.seq = e.seq ORDER BY s.id, e.happened_at`,
  );
  const inserted = num((await tx.query(`SELECT count(*) AS n FROM stage_incident`))[0]!.n);
  return { inserted, duplicates: staged - inserted };
}
