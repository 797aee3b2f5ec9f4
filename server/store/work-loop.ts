/**
 * Storage of the work loop in Feishu (issue 15): Feishu event ids already handled, cards queued
 * for people (morning cards, escalations) and message threads (replies to accident reports),
 * escalation steps in the incident's timeline, and the confirmation of draft incidents reported
 * in store groups. One SQL implementation for both engines.
 */
import { confirmedIncidentSql } from '../domain/closure.js';
import { notFinalStatusSql } from '../domain/sla.js';
import type { Category, Kind, Severity, Status } from '../domain/incident.js';
import { recordUpdated } from './change-feed.js';
import type { SqlDb, SqlValue } from './sql-db.js';
import { col } from './sql-rows.js';

/** Who a queued card goes to instead of the store's group. */
export interface OutboxReceiver {
  /** `open_id`: a person; `chat_id`: a group; `reply`: the thread of a message (id = message_id). */
  type: 'open_id' | 'chat_id' | 'reply';
  id: string;
}

export interface OutboxMessage {
  storeId: number;
  /** Once per key and store: a second enqueue of the same key is dropped. */
  dedupeKey: string;
  payload: Record<string, unknown>;
  receiver: OutboxReceiver;
}

export interface DraftConfirmation {
  kind: Kind;
  category: Category;
  severity: Severity;
  dueAt: Date;
}

export interface WorkLoopStore {
  /** Whether Feishu already delivered this event or callback (and it was handled). */
  eventSeen(eventId: string): Promise<boolean>;
  /** Records a handled event; false when another delivery recorded it first. */
  recordEvent(eventId: string, eventType: string, now: Date): Promise<boolean>;
  /** Queues cards, each once per (store, dedupe key); returns how many were new. */
  enqueue(messages: readonly OutboxMessage[], now: Date): Promise<number>;
  /**
   * Queues an escalation's cards and writes the step into the incident's timeline, in one
   * transaction, once per step (the dedupe key of the first message says which step).
   * @returns false when this step was escalated before
   */
  recordEscalation(incident: { id: number; storeId: number; status: string }, messages: readonly OutboxMessage[], note: string, now: Date): Promise<boolean>;
  /**
   * Confirms a draft reported in a store group: its kind, category and severity, and review
   * confirmed, at `expectedVersion`. Null when it is not a pending draft at that version.
   */
  confirmDraft(id: number, expectedVersion: number, draft: DraftConfirmation, actorId: string, now: Date): Promise<{ version: number } | null>;
  /** The store whose Feishu group (app-bot chat) this is, if any. */
  storeIdByChat(chatId: string): Promise<number | null>;
  /** Incidents of a store, not closed or dismissed, due before `dueBefore` (oldest due first). */
  overdueIncidents(dueBefore: Date, limit: number): Promise<OverdueIncident[]>;
}

export interface OverdueIncident {
  id: number;
  storeId: number;
  version: number;
  kind: Kind;
  category: Category;
  severity: Severity;
  status: Status;
  occurredAt: Date;
  dueAt: Date;
}

export class SqlWorkLoopStore implements WorkLoopStore {
  constructor(private readonly db: SqlDb) {}

  async eventSeen(eventId: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 AS seen FROM feishu_event WHERE event_id = $1`, [eventId])).length > 0;
  }

  async recordEvent(eventId: string, eventType: string, now: Date): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO feishu_event (event_id, event_type, received_at) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [eventId, eventType, now],
    );
    return rows.length > 0;
  }

  async enqueue(messages: readonly OutboxMessage[], now: Date): Promise<number> {
    if (!messages.length) return 0;
    return this.db.transaction(async (tx) => insertMessages(tx, messages, now));
  }

  async recordEscalation(
    incident: { id: number; storeId: number; status: string },
    messages: readonly OutboxMessage[],
    note: string,
    now: Date,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // the first message's key stands for the step: present means the step was escalated
      const seen = await tx.query(`SELECT 1 AS seen FROM outbox WHERE store_id = $1 AND dedupe_key = $2`, [incident.storeId, messages[0]?.dedupeKey ?? '']);
      if (seen.length || !messages.length) return false;
      await insertMessages(tx, messages, now);
      await tx.query(
        `INSERT INTO incident_event (incident_id, store_id, shard_key, happened_at, actor, from_status, to_status, note, kind, resolution)
         VALUES ($1, $2, $2, $3, 'hexwatch', $4, $4, $5, 'comment', NULL)`,
        [incident.id, incident.storeId, now, incident.status, note],
      );
      return true;
    });
  }

  async confirmDraft(id: number, expectedVersion: number, draft: DraftConfirmation, actorId: string, now: Date): Promise<{ version: number } | null> {
    return this.db.transaction(async (tx) => {
      const before = await tx.query(`SELECT store_id, shard_key, CAST(status AS TEXT) AS status, due_at FROM incident WHERE id = $1`, [id]);
      if (!before.length) return null;
      const was = before[0]!;
      const updated = await tx.query(
        `UPDATE incident SET kind = $1, category = $2, severity = $3, due_at = $4, review = 'confirmed', version = version + 1, updated_at = $5
         WHERE id = $6 AND version = $7 AND source = 'feishu_group' AND review = 'pending' AND shard_key = $8
         RETURNING version`,
        [draft.kind, draft.category, draft.severity, draft.dueAt, now, id, expectedVersion, was.shard_key as SqlValue],
      );
      if (!updated.length) return null;
      await tx.query(
        `INSERT INTO incident_event (incident_id, store_id, shard_key, happened_at, actor, from_status, to_status, note, kind, resolution)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, 'review', NULL)`,
        [id, was.store_id as SqlValue, was.shard_key as SqlValue, now, actorId, was.status as SqlValue, `confirmed: ${draft.kind} / ${draft.category}, severity ${draft.severity}`],
      );
      // last: the change feed's lock is held from here to the commit (live updates follow)
      await recordUpdated(tx, id, was.store_id === null ? null : col.number(was, 'store_id'), { status: col.text(was, 'status') as Status, review: 'pending', dueAt: col.dateOrNull(was, 'due_at') });
      return { version: col.number(updated[0]!, 'version') };
    });
  }

  async storeIdByChat(chatId: string): Promise<number | null> {
    const rows = await this.db.query(`SELECT store_id FROM alert_target WHERE chat_id = $1 ORDER BY store_id LIMIT 1`, [chatId]);
    return rows.length ? col.number(rows[0]!, 'store_id') : null;
  }

  async overdueIncidents(dueBefore: Date, limit: number): Promise<OverdueIncident[]> {
    // rejected detections are dismissed already; pending ones wait for review, not for work
    const rows = await this.db.query(
      `SELECT id, store_id, version, kind, category, severity, CAST(status AS TEXT) AS status, occurred_at, due_at FROM incident
       WHERE store_id IS NOT NULL AND ${notFinalStatusSql('')} AND due_at < $1 AND ${confirmedIncidentSql('')}
       ORDER BY due_at, id LIMIT ${Math.trunc(limit)}`,
      [dueBefore],
    );
    return rows.map((r) => ({
      id: col.number(r, 'id'),
      storeId: col.number(r, 'store_id'),
      version: col.number(r, 'version'),
      kind: col.text(r, 'kind') as Kind,
      category: col.text(r, 'category') as Category,
      severity: col.number(r, 'severity') as Severity,
      status: col.text(r, 'status') as Status,
      occurredAt: col.date(r, 'occurred_at'),
      dueAt: col.date(r, 'due_at'),
    }));
  }
}

async function insertMessages(tx: SqlDb, messages: readonly OutboxMessage[], now: Date): Promise<number> {
  let inserted = 0;
  for (const m of messages) {
    const rows = await tx.query(
      `INSERT INTO outbox (store_id, alert_id, dedupe_key, payload, status, next_attempt_at, created_at, receive_id_type, receive_id)
       VALUES ($1, NULL, $2, $3, 'pending', $4, $4, $5, $6)
       ON CONFLICT (store_id, dedupe_key) DO NOTHING RETURNING id`,
      [m.storeId, m.dedupeKey, JSON.stringify(m.payload), now, m.receiver.type, m.receiver.id],
    );
    inserted += rows.length;
  }
  return inserted;
}
