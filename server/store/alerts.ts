/**
 * Alerts, their Feishu targets and the notification outbox, in SQL both engines run. The outbox
 * row is written in the same transaction as its alert, so an alert is never without its
 * delivery; workers claim rows with a compare-and-set UPDATE (a lease), so two workers never
 * send the same row at once.
 */
import { cellIdToHex, hexToCellId } from '../domain/h3-cells.js';
import type { EmergingClass } from '../domain/hotspots/emerging.js';
import type { SecretBox } from '../security/secret-box.js';
import type { SqlDb, SqlRow, SqlValue } from './sql-db.js';
import { sqlIntList } from './sql-db.js';
import { col } from './sql-rows.js';
import type { OutboxReceiver } from './work-loop.js';
import type { Engine, Scope } from './types.js';

export type AlertChannel = 'webhook' | 'app';

export interface AlertTarget {
  storeId: number;
  channel: AlertChannel;
  webhookUrl: string | null;
  webhookSecret: string | null;
  chatId: string | null;
  enabled: boolean;
}

export interface AlertInput {
  storeId: number;
  cityId: number;
  /** h3-js id at `resolution`. */
  cell: string;
  resolution: number;
  /** YYYY-MM-DD: Monday (city time) of the week the current hot run began. */
  episode: string;
  /** YYYY-MM-DD: Monday of the latest week analysed. */
  week: string;
  class: EmergingClass;
  z: number;
  weekCount: number;
  totalCount: number;
  weeks: number;
}

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface Alert extends AlertInput {
  id: number;
  storeCode: string;
  storeName: string;
  createdAt: Date;
  ackedAt: Date | null;
  ackedBy: string | null;
  /** The display name of `ackedBy`, when that is a known user. */
  ackedByName: string | null;
  /** The Feishu delivery's state; null when the store had no enabled target. */
  delivery: DeliveryStatus | null;
}

export interface OutboxItem {
  id: number;
  storeId: number;
  alertId: number | null;
  dedupeKey: string;
  payload: Record<string, unknown>;
  attempts: number;
  /** First attempt that may have reached Feishu without an answer (timeout, 5xx), if any. */
  ambiguousAt: Date | null;
  /** Read at delivery time: a corrected webhook URL or secret applies to pending rows. */
  target: AlertTarget | null;
  /** A person or message thread (app bot) instead of the store's group; null: the group. */
  receiver: OutboxReceiver | null;
}

export interface Delivery {
  id: number;
  storeId: number;
  storeCode: string;
  alertId: number | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastCode: number | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface AlertListQuery {
  scope: Scope;
  storeIds?: readonly number[];
  /** true: acknowledged only; false: open only; absent: both. */
  acked?: boolean;
  limit: number;
  /** Alerts with an id below this (newest first paging). */
  beforeId?: number;
}

/** What admins see of a target: that a secret is set, and the webhook's host, never the secret. */
export interface TargetSummary {
  storeId: number;
  storeCode: string;
  channel: AlertChannel;
  webhookUrl: string | null;
  webhookHost: string | null;
  hasSecret: boolean;
  chatId: string | null;
  enabled: boolean;
  updatedAt: Date | null;
}

export interface AlertStore {
  /** The webhook secret is sealed with the store's secret box before it is written. */
  setTarget(target: AlertTarget, now: Date): Promise<void>;
  /** With the webhook secret opened (plain text), for delivery. */
  getTarget(storeId: number): Promise<AlertTarget | null>;
  listTargets(): Promise<TargetSummary[]>;
  /**
   * Re-seals every stored secret not sealed with the box's current key (plain values stored
   * before encryption included), in one transaction. Returns how many were re-sealed and held.
   */
  resealSecrets(): Promise<{ resealed: number; total: number }>;
  /**
   * Records the alerts not recorded yet (store, cell, episode) and, for stores with an enabled
   * target, their outbox rows, all in one transaction. Returns the new alerts only.
   */
  recordAlerts(inputs: readonly AlertInput[], cardFor: (alert: Alert) => Record<string, unknown>, now: Date): Promise<Alert[]>;
  listAlerts(query: AlertListQuery): Promise<Alert[]>;
  /** Acknowledges an alert in the scope; null when absent or outside it. Idempotent. */
  ackAlert(id: number, userId: string, scope: Scope, now: Date): Promise<Alert | null>;
  /**
   * Acknowledges several alerts in the scope at once, all or none: when any id is absent or
   * outside the scope nothing changes and those ids come back in `missing`. Alerts already
   * acknowledged keep their first acknowledgement. `acked`: how many this call acknowledged.
   */
  ackAlerts(ids: readonly number[], userId: string, scope: Scope, now: Date): Promise<{ acked: number; missing: number[] }>;
  /** Leases up to `limit` due rows (pending and due, or sending with an expired lease). */
  claimOutbox(now: Date, leaseMs: number, limit: number): Promise<OutboxItem[]>;
  markSent(item: OutboxItem, now: Date, messageId: string | null): Promise<void>;
  /** `ambiguousAt`: when this attempt may have reached Feishu unanswered (kept once set). */
  markRetry(item: OutboxItem, nextAttemptAt: Date, code: number | null, error: string, ambiguousAt?: Date | null): Promise<void>;
  markFailed(item: OutboxItem, code: number | null, error: string): Promise<void>;
  /** Deliveries for admins, newest first; `status` narrows (e.g. failed: the permanent errors). */
  listDeliveries(query: { status?: DeliveryStatus; alertId?: number; limit: number }): Promise<Delivery[]>;
  /**
   * Puts a permanently failed delivery back in the queue, due now, with its attempts reset (the
   * last error stays readable until the next attempt). 'missing' or 'not_failed' otherwise.
   */
  resendDelivery(id: number, now: Date): Promise<'resent' | 'missing' | 'not_failed'>;
  /**
   * Claims this interval's run of a scheduled job: true for exactly one caller among instances
   * when the last run started at least `intervalMs` ago (PostgreSQL: under an advisory lock).
   */
  claimJobRun(job: string, now: Date, intervalMs: number): Promise<boolean>;
}

function rowToTarget(r: SqlRow, box: SecretBox | null): AlertTarget {
  const stored = col.textOrNull(r, 'webhook_secret');
  return {
    storeId: col.number(r, 'store_id'),
    channel: col.text(r, 'channel') as AlertChannel,
    webhookUrl: col.textOrNull(r, 'webhook_url'),
    webhookSecret: stored === null ? null : requireBox(box).open(stored),
    chatId: col.textOrNull(r, 'chat_id'),
    enabled: Boolean(r.enabled),
  };
}

function rowToAlert(r: SqlRow): Alert {
  return {
    id: col.number(r, 'id'),
    storeId: col.number(r, 'store_id'),
    storeCode: col.text(r, 'store_code'),
    storeName: col.text(r, 'store_name'),
    cityId: col.number(r, 'city_id'),
    cell: cellIdToHex(col.bigint(r, 'cell')),
    resolution: col.number(r, 'resolution'),
    episode: col.text(r, 'episode'),
    week: col.text(r, 'week'),
    class: col.text(r, 'class') as EmergingClass,
    z: col.number(r, 'z'),
    weekCount: col.number(r, 'week_count'),
    totalCount: col.number(r, 'total_count'),
    weeks: col.number(r, 'weeks'),
    createdAt: col.date(r, 'created_at'),
    ackedAt: col.dateOrNull(r, 'acked_at'),
    ackedByName: col.textOrNull(r, 'acked_by_name'),
    ackedBy: col.textOrNull(r, 'acked_by'),
    delivery: col.textOrNull(r, 'delivery') as DeliveryStatus | null,
  };
}

const ALERT_SELECT = `
  SELECT a.*, s.code AS store_code, s.name AS store_name, u.name AS acked_by_name,
         (SELECT o.status FROM outbox o WHERE o.store_id = a.store_id AND o.alert_id = a.id ORDER BY o.id LIMIT 1) AS delivery
  FROM alert a JOIN store s ON s.id = a.store_id LEFT JOIN app_user u ON u.id = a.acked_by`;

function requireBox(box: SecretBox | null): SecretBox {
  if (!box) throw new Error('secrets: this store was opened without a secret key (openStore sets one up)');
  return box;
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** A 31-bit key per job name for pg_try_advisory_xact_lock. */
function jobLockKey(job: string): number {
  let h = 7277;
  for (const ch of job) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h & 0x7fffffff;
}

export class SqlAlertStore implements AlertStore {
  constructor(
    private readonly db: SqlDb,
    private readonly engine: Engine,
    private readonly box: SecretBox | null = null,
  ) {}

  async setTarget(t: AlertTarget, now: Date): Promise<void> {
    const secret = t.webhookSecret === null ? null : requireBox(this.box).seal(t.webhookSecret);
    await this.db.query(
      `INSERT INTO alert_target (store_id, channel, webhook_url, webhook_secret, chat_id, enabled, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (store_id) DO UPDATE SET channel = excluded.channel, webhook_url = excluded.webhook_url,
         webhook_secret = excluded.webhook_secret, chat_id = excluded.chat_id, enabled = excluded.enabled,
         updated_at = excluded.updated_at`,
      [t.storeId, t.channel, t.webhookUrl, secret, t.chatId, t.enabled, now],
    );
  }

  async getTarget(storeId: number): Promise<AlertTarget | null> {
    const rows = await this.db.query(`SELECT * FROM alert_target WHERE store_id = $1`, [storeId]);
    return rows.length ? rowToTarget(rows[0]!, this.box) : null;
  }

  async listTargets(): Promise<TargetSummary[]> {
    const rows = await this.db.query(
      `SELECT t.store_id, s.code AS store_code, t.channel, t.webhook_url, t.webhook_secret IS NOT NULL AS has_secret, t.chat_id, t.enabled, t.updated_at
       FROM alert_target t JOIN store s ON s.id = t.store_id ORDER BY s.code`,
    );
    return rows.map((r) => {
      const webhookUrl = col.textOrNull(r, 'webhook_url');
      return {
        storeId: col.number(r, 'store_id'),
        storeCode: col.text(r, 'store_code'),
        channel: col.text(r, 'channel') as AlertChannel,
        webhookUrl,
        webhookHost: hostOf(webhookUrl),
        hasSecret: Boolean(r.has_secret),
        chatId: col.textOrNull(r, 'chat_id'),
        enabled: Boolean(r.enabled),
        updatedAt: col.dateOrNull(r, 'updated_at'),
      };
    });
  }

  async resealSecrets(): Promise<{ resealed: number; total: number }> {
    const box = requireBox(this.box);
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(`SELECT store_id, webhook_secret FROM alert_target WHERE webhook_secret IS NOT NULL ORDER BY store_id`);
      let resealed = 0;
      for (const r of rows) {
        const stored = col.text(r, 'webhook_secret');
        if (box.isCurrent(stored)) continue;
        await tx.query(`UPDATE alert_target SET webhook_secret = $1 WHERE store_id = $2`, [box.seal(box.open(stored)), col.number(r, 'store_id')]);
        resealed++;
      }
      return { resealed, total: rows.length };
    });
  }

  async recordAlerts(
    inputs: readonly AlertInput[],
    cardFor: (alert: Alert) => Record<string, unknown>,
    now: Date,
  ): Promise<Alert[]> {
    if (!inputs.length) return [];
    return this.db.transaction(async (tx) => {
      const created: Alert[] = [];
      for (const a of inputs) {
        const cell = hexToCellId(a.cell);
        const existing = await tx.query(`SELECT id FROM alert WHERE store_id = $1 AND cell = $2 AND episode = $3`, [
          a.storeId,
          cell,
          a.episode,
        ]);
        if (existing.length) continue; // this episode was alerted already
        const inserted = await tx.query(
          `INSERT INTO alert (store_id, city_id, cell, resolution, episode, week, class, z, week_count, total_count, weeks, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
          [a.storeId, a.cityId, cell, a.resolution, a.episode, a.week, a.class, a.z, a.weekCount, a.totalCount, a.weeks, now],
        );
        const id = col.number(inserted[0]!, 'id');
        const target = await tx.query(`SELECT enabled FROM alert_target WHERE store_id = $1`, [a.storeId]);
        const alert = rowToAlert((await tx.query(`${ALERT_SELECT} WHERE a.store_id = $1 AND a.id = $2`, [a.storeId, id]))[0]!);
        if (target.length && Boolean(target[0]!.enabled)) {
          await tx.query(
            `INSERT INTO outbox (store_id, alert_id, dedupe_key, payload, status, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, 'pending', $5, $5)`,
            [a.storeId, id, `hexwatch-alert-${id}`, JSON.stringify(cardFor(alert)), now],
          );
          alert.delivery = 'pending';
        }
        created.push(alert);
      }
      return created;
    });
  }

  async listAlerts(q: AlertListQuery): Promise<Alert[]> {
    const where = [q.scope.all ? 'TRUE' : `a.store_id IN ${sqlIntList(q.scope.storeIds)}`];
    if (q.storeIds) where.push(`a.store_id IN ${sqlIntList(q.storeIds)}`);
    if (q.acked !== undefined) where.push(q.acked ? 'a.acked_at IS NOT NULL' : 'a.acked_at IS NULL');
    const params: SqlValue[] = [];
    if (q.beforeId !== undefined) {
      params.push(q.beforeId);
      where.push(`a.id < $${params.length}`);
    }
    const rows = await this.db.query(
      `${ALERT_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.id DESC LIMIT ${Math.trunc(q.limit)}`,
      params,
    );
    return rows.map(rowToAlert);
  }

  async ackAlert(id: number, userId: string, scope: Scope, now: Date): Promise<Alert | null> {
    const inScope = scope.all ? 'TRUE' : `a.store_id IN ${sqlIntList(scope.storeIds)}`;
    const rows = await this.db.query(`${ALERT_SELECT} WHERE a.id = $1 AND ${inScope}`, [id]);
    if (!rows.length) return null;
    const alert = rowToAlert(rows[0]!);
    if (alert.ackedAt) return alert; // the first acknowledgement stands
    await this.db.query(`UPDATE alert SET acked_at = $1, acked_by = $2 WHERE store_id = $3 AND id = $4 AND acked_at IS NULL`, [
      now,
      userId,
      alert.storeId,
      id,
    ]);
    return rowToAlert((await this.db.query(`${ALERT_SELECT} WHERE a.store_id = $1 AND a.id = $2`, [alert.storeId, id]))[0]!);
  }

  async ackAlerts(ids: readonly number[], userId: string, scope: Scope, now: Date): Promise<{ acked: number; missing: number[] }> {
    const unique = [...new Set(ids)];
    if (!unique.length) return { acked: 0, missing: [] };
    const inScope = scope.all ? 'TRUE' : `store_id IN ${sqlIntList(scope.storeIds)}`;
    const rows = await this.db.query(`SELECT id, store_id, acked_at FROM alert WHERE id IN ${sqlIntList(unique)} AND ${inScope}`);
    const found = new Set(rows.map((r) => col.number(r, 'id')));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length) return { acked: 0, missing };
    const open = rows.filter((r) => r.acked_at === null || r.acked_at === undefined);
    if (!open.length) return { acked: 0, missing: [] };
    // One statement: all of them or (on a crash) none. The store ids route it to the alerts'
    // shards on Citus; `acked_at IS NULL` keeps a concurrent first acknowledgement.
    const storeIds = [...new Set(open.map((r) => col.number(r, 'store_id')))];
    const changed = await this.db.query(
      `UPDATE alert SET acked_at = $1, acked_by = $2
       WHERE store_id IN ${sqlIntList(storeIds)} AND id IN ${sqlIntList(open.map((r) => col.number(r, 'id')))} AND acked_at IS NULL
       RETURNING id`,
      [now, userId],
    );
    return { acked: changed.length, missing: [] };
  }

  async claimOutbox(now: Date, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    const candidates = await this.db.query(
      `SELECT store_id, id FROM outbox
       WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND locked_until < $1)
       ORDER BY next_attempt_at, id LIMIT ${Math.trunc(limit)}`,
      [now],
    );
    const claimed: OutboxItem[] = [];
    for (const c of candidates) {
      // compare-and-set: only one worker turns a due row into its lease
      const rows = await this.db.query(
        `UPDATE outbox SET status = 'sending', locked_until = $1, attempts = attempts + 1
         WHERE store_id = $2 AND id = $3
           AND ((status = 'pending' AND next_attempt_at <= $4) OR (status = 'sending' AND locked_until < $4))
         RETURNING id, store_id, alert_id, dedupe_key, payload, attempts, ambiguous_at, receive_id_type, receive_id`,
        [new Date(now.getTime() + leaseMs), col.number(c, 'store_id'), col.number(c, 'id'), now],
      );
      if (!rows.length) continue;
      const r = rows[0]!;
      claimed.push({
        id: col.number(r, 'id'),
        storeId: col.number(r, 'store_id'),
        alertId: col.numberOrNull(r, 'alert_id'),
        dedupeKey: col.text(r, 'dedupe_key'),
        payload: JSON.parse(col.text(r, 'payload')) as Record<string, unknown>,
        attempts: col.number(r, 'attempts'),
        ambiguousAt: col.dateOrNull(r, 'ambiguous_at'),
        target: await this.getTarget(col.number(r, 'store_id')),
        receiver: r.receive_id_type ? { type: col.text(r, 'receive_id_type') as OutboxReceiver['type'], id: r.receive_id as string } : null,
      });
    }
    return claimed;
  }

  async markSent(item: OutboxItem, now: Date, messageId: string | null): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET status = 'sent', sent_at = $1, message_id = $2, locked_until = NULL, last_error = NULL
       WHERE store_id = $3 AND id = $4`,
      [now, messageId, item.storeId, item.id],
    );
  }

  async markRetry(item: OutboxItem, nextAttemptAt: Date, code: number | null, error: string, ambiguousAt: Date | null = null): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET status = 'pending', next_attempt_at = $1, last_code = $2, last_error = $3, locked_until = NULL,
         ambiguous_at = COALESCE(ambiguous_at, $6)
       WHERE store_id = $4 AND id = $5`,
      [nextAttemptAt, code, error.slice(0, 500), item.storeId, item.id, ambiguousAt],
    );
  }

  async markFailed(item: OutboxItem, code: number | null, error: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET status = 'failed', last_code = $1, last_error = $2, locked_until = NULL WHERE store_id = $3 AND id = $4`,
      [code, error.slice(0, 500), item.storeId, item.id],
    );
  }

  async resendDelivery(id: number, now: Date): Promise<'resent' | 'missing' | 'not_failed'> {
    const rows = await this.db.query(
      `UPDATE outbox SET status = 'pending', next_attempt_at = $2, attempts = 0, locked_until = NULL
       WHERE id = $1 AND status = 'failed' RETURNING id`,
      [id, now],
    );
    if (rows.length) return 'resent';
    return (await this.db.query(`SELECT id FROM outbox WHERE id = $1`, [id])).length ? 'not_failed' : 'missing';
  }

  async listDeliveries(query: { status?: DeliveryStatus; alertId?: number; limit: number }): Promise<Delivery[]> {
    const params: SqlValue[] = [];
    const conditions: string[] = [];
    if (query.status) {
      params.push(query.status);
      conditions.push(`o.status = $${params.length}`);
    }
    if (query.alertId !== undefined) {
      params.push(query.alertId);
      conditions.push(`o.alert_id = $${params.length}`);
    }
    const where = conditions.length ? conditions.join(' AND ') : 'TRUE';
    const rows = await this.db.query(
      `SELECT o.*, s.code AS store_code FROM outbox o JOIN store s ON s.id = o.store_id
       WHERE ${where} ORDER BY o.id DESC LIMIT ${Math.trunc(query.limit)}`,
      params,
    );
    return rows.map((r) => ({
      id: col.number(r, 'id'),
      storeId: col.number(r, 'store_id'),
      storeCode: col.text(r, 'store_code'),
      alertId: col.numberOrNull(r, 'alert_id'),
      status: col.text(r, 'status') as DeliveryStatus,
      attempts: col.number(r, 'attempts'),
      nextAttemptAt: col.date(r, 'next_attempt_at'),
      lastCode: col.numberOrNull(r, 'last_code'),
      lastError: col.textOrNull(r, 'last_error'),
      createdAt: col.date(r, 'created_at'),
      sentAt: col.dateOrNull(r, 'sent_at'),
    }));
  }

  async claimJobRun(job: string, now: Date, intervalMs: number): Promise<boolean> {
    try {
      return await this.claimJobRunOnce(job, now, intervalMs);
    } catch (error) {
      // DuckDB: a concurrent claim in this process lost the write-write conflict (its commit
      // fails, then the rollback finds no transaction): the other claim won this interval
      if (this.engine === 'duckdb' && /conflict|duplicate key|no transaction is active/i.test((error as Error).message)) return false;
      throw error;
    }
  }

  private async claimJobRunOnce(job: string, now: Date, intervalMs: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (this.engine === 'postgres') {
        // another instance deciding right now holds it: that one runs this interval
        const lock = await tx.query(`SELECT pg_try_advisory_xact_lock(${jobLockKey(job)}) AS ok`);
        if (!lock[0]!.ok) return false;
      }
      await tx.query(`INSERT INTO job_run (job, last_started_at) VALUES ($1, $2) ON CONFLICT (job) DO NOTHING`, [
        job,
        new Date(0),
      ]);
      // the compare-and-set alone is enough on both engines; the lock saves a blocked UPDATE
      const rows = await tx.query(
        `UPDATE job_run SET last_started_at = $1 WHERE job = $2 AND last_started_at <= $3 RETURNING job`,
        [now, job, new Date(now.getTime() - intervalMs)],
      );
      return rows.length > 0;
    });
  }
}
