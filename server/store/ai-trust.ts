/**
 * AI trust figures, the expected-value review queue and bulk confirmation (issue 16), in SQL both
 * engines run. The rules (confirm rate, expected value, suggested threshold) live in
 * ../domain/ai-trust.ts.
 *
 * An AI detection is an incident with a review state; its model version is the one the pipeline
 * sent with it (`ai.modelVersion`), when it sent one. Its review moment is its first `review`
 * event (a decision taken in Hexwatch), or for a rejected detection without one the moment it was
 * dismissed (imports and the demo record rejections that way); a confirmed detection without a
 * review event has no known review moment and is left out of the mean review time.
 */
import type { Actor } from '../domain/closure.js';
import { WorkflowError } from '../domain/closure.js';
import type { Severity } from '../domain/incident.js';
import { confirmRate, expectedValue, suggestThreshold } from '../domain/ai-trust.js';
import type { ThresholdSuggestion } from '../domain/ai-trust.js';
import { notFinalStatusSql } from '../domain/sla.js';
import { WEIGHT_SQL } from './incident-queries.js';
import type { SqlDb, SqlValue } from './sql-db.js';
import { sqlIntList } from './sql-db.js';
import { col } from './sql-rows.js';
import type { Scope } from './types.js';
import type { WorkflowStore } from './workflow.js';

export interface TrustRow {
  category: string;
  detections: number;
  confirmed: number;
  rejected: number;
  pending: number;
  /** confirmed / (confirmed + rejected); null when none was decided. */
  confirmRate: number | null;
  /** Mean hours from detection (created) to the review moment, over `reviewTimeSamples` detections. */
  meanReviewHours: number | null;
  reviewTimeSamples: number;
}

export interface CategoryTrust extends TrustRow {
  /** Mean and largest age (hours at `now`) of the detections still awaiting review. */
  backlogMeanAgeHours: number | null;
  backlogOldestHours: number | null;
}

export interface MonthlyTrust extends TrustRow {
  /** `YYYY-MM` of the detection (created) in the city's zone. */
  month: string;
}

/** One AI category and model version: the pipeline's model version when it sent one, null for detections without. */
export interface ModelTrust extends TrustRow {
  modelVersion: string | null;
}

export interface TrustFigures {
  byCategory: CategoryTrust[];
  /** Per category and model version (null: not sent), versions in text order, null last. */
  byModel: ModelTrust[];
  monthly: MonthlyTrust[];
}

export interface QueuedDetection {
  id: number;
  storeId: number | null;
  category: string;
  severity: Severity;
  aiConfidence: number | null;
  occurredAt: Date;
  createdAt: Date;
  expectedValue: number;
}

/** Meta key of the admins' bulk-confirm threshold (absent: bulk confirmation is off). */
export const BULK_THRESHOLD_META_KEY = 'ai.bulkConfirmThreshold';
/** Detections one bulk confirmation decides at most; call again for the rest. */
export const MAX_BULK_CONFIRM = 500;

export interface AiTrustStore {
  /** Detections created in [from, to) (all time when absent), in the scope. */
  figures(q: { from?: Date; to?: Date; now: Date }, scope: Scope): Promise<TrustFigures>;
  /** Detections awaiting review, highest expected value first (../domain/ai-trust.ts). */
  queue(q: { limit: number; minConfidence?: number }, scope: Scope): Promise<{ items: QueuedDetection[]; total: number }>;
  /** The suggestion over every decided detection with a confidence in the scope. */
  suggestedThreshold(scope: Scope): Promise<ThresholdSuggestion>;
  bulkThreshold(): Promise<number | null>;
  setBulkThreshold(value: number | null): Promise<void>;
  /**
   * Confirms up to MAX_BULK_CONFIRM detections awaiting review with confidence >= `threshold`,
   * highest expected value first, each through the workflow (its own transaction, timeline entry
   * and version), so a crash part-way leaves every confirmed one complete; run again for the rest.
   */
  bulkConfirm(threshold: number, actor: Actor, scope: Scope, at: Date): Promise<{ confirmed: number[]; remaining: number }>;
}

const HOUR_S = 3600;

export class SqlAiTrustStore implements AiTrustStore {
  constructor(
    private readonly db: SqlDb,
    private readonly workflow: WorkflowStore,
    private readonly meta: { get(key: string): Promise<string | null>; set(key: string, value: string): Promise<void> },
  ) {}

  async figures(q: { from?: Date; to?: Date; now: Date }, scope: Scope): Promise<TrustFigures> {
    const params: SqlValue[] = [q.now];
    const where = [scope.all ? 'TRUE' : `i.store_id IN ${sqlIntList(scope.storeIds)}`, 'i.review IS NOT NULL'];
    if (q.from) {
      params.push(q.from);
      where.push(`i.created_at >= $${params.length}`);
    }
    if (q.to) {
      params.push(q.to);
      where.push(`i.created_at < $${params.length}`);
    }
    const base = `
      WITH reviewed AS (
        SELECT incident_id, min(happened_at) AS at FROM incident_event WHERE kind = 'review' GROUP BY incident_id),
      d AS (
        SELECT i.category, i.review, i.ai_model_version AS model_version,
               date_trunc('month', i.created_at AT TIME ZONE c.tz) AS month,
               EXTRACT(EPOCH FROM (COALESCE(r.at, CASE WHEN i.review = 'rejected' THEN i.closed_at END) - i.created_at)) AS review_s,
               CASE WHEN i.review = 'pending' THEN EXTRACT(EPOCH FROM ($1 - i.created_at)) END AS age_s
        FROM incident i JOIN city c ON c.id = i.city_id LEFT JOIN reviewed r ON r.incident_id = i.id
        WHERE ${where.join(' AND ')})`;
    const measures = `count(*) AS detections,
           count(*) FILTER (WHERE review = 'confirmed') AS confirmed,
           count(*) FILTER (WHERE review = 'rejected') AS rejected,
           count(*) FILTER (WHERE review = 'pending') AS pending,
           avg(review_s) FILTER (WHERE review <> 'pending') AS review_s,
           count(review_s) FILTER (WHERE review <> 'pending') AS review_n`;
    const [cats, models, months] = await Promise.all([
      this.db.query(`${base} SELECT category, ${measures}, avg(age_s) AS age_s, max(age_s) AS oldest_s FROM d GROUP BY category ORDER BY category`, params),
      this.db.query(
        `${base} SELECT category, model_version, ${measures} FROM d GROUP BY category, model_version ORDER BY category, model_version NULLS LAST`,
        params,
      ),
      this.db.query(`${base} SELECT category, month, ${measures} FROM d GROUP BY category, month ORDER BY category, month`, params),
    ]);
    const trust = (r: Record<string, unknown>): TrustRow => {
      const confirmed = col.number(r, 'confirmed');
      const rejected = col.number(r, 'rejected');
      const reviewS = col.numberOrNull(r, 'review_s');
      return {
        category: col.text(r, 'category'),
        detections: col.number(r, 'detections'),
        confirmed,
        rejected,
        pending: col.number(r, 'pending'),
        confirmRate: confirmRate(confirmed, rejected),
        meanReviewHours: reviewS === null ? null : reviewS / HOUR_S,
        reviewTimeSamples: col.number(r, 'review_n'),
      };
    };
    return {
      byCategory: cats.map((r) => {
        const age = col.numberOrNull(r, 'age_s');
        const oldest = col.numberOrNull(r, 'oldest_s');
        return { ...trust(r), backlogMeanAgeHours: age === null ? null : age / HOUR_S, backlogOldestHours: oldest === null ? null : oldest / HOUR_S };
      }),
      byModel: models.map((r) => ({ ...trust(r), modelVersion: (r.model_version as string | null) ?? null })),
      // date_trunc of a zone-local timestamp comes back as the UTC Date of the local wall time
      monthly: months.map((r) => ({ ...trust(r), month: col.date(r, 'month').toISOString().slice(0, 7) })),
    };
  }

  private pendingWhere(scope: Scope, minConfidence: number | undefined, params: SqlValue[]): string {
    const where = [
      scope.all ? 'TRUE' : `i.store_id IN ${sqlIntList(scope.storeIds)}`,
      `i.review = 'pending'`,
      notFinalStatusSql('i'),
    ];
    if (minConfidence !== undefined) {
      params.push(minConfidence);
      where.push(`i.ai_confidence >= $${params.length}`);
    }
    return where.join(' AND ');
  }

  async queue(q: { limit: number; minConfidence?: number }, scope: Scope): Promise<{ items: QueuedDetection[]; total: number }> {
    const params: SqlValue[] = [];
    const where = this.pendingWhere(scope, q.minConfidence, params);
    // expectedValue() in SQL: confidence (0.5 when unknown) x SEVERITY_WEIGHT
    const [rows, total] = await Promise.all([
      this.db.query(
        `SELECT i.id, i.store_id, i.category, i.severity, i.ai_confidence, i.occurred_at, i.created_at FROM incident i WHERE ${where}
         ORDER BY COALESCE(i.ai_confidence, 0.5) * ${WEIGHT_SQL('i')} DESC, i.occurred_at, i.id LIMIT ${Math.trunc(q.limit)}`,
        params,
      ),
      this.db.query(`SELECT count(*) AS n FROM incident i WHERE ${where}`, params),
    ]);
    return {
      items: rows.map((r) => {
        const severity = col.number(r, 'severity') as Severity;
        const aiConfidence = col.numberOrNull(r, 'ai_confidence');
        return {
          id: col.number(r, 'id'),
          storeId: col.numberOrNull(r, 'store_id'),
          category: col.text(r, 'category'),
          severity,
          aiConfidence,
          occurredAt: col.date(r, 'occurred_at'),
          createdAt: col.date(r, 'created_at'),
          expectedValue: expectedValue(aiConfidence, severity),
        };
      }),
      total: col.number(total[0]!, 'n'),
    };
  }

  async suggestedThreshold(scope: Scope): Promise<ThresholdSuggestion> {
    const rows = await this.db.query(
      `SELECT i.ai_confidence, i.review FROM incident i
       WHERE ${scope.all ? 'TRUE' : `i.store_id IN ${sqlIntList(scope.storeIds)}`}
         AND i.review IN ('confirmed', 'rejected') AND i.ai_confidence IS NOT NULL`,
    );
    return suggestThreshold(rows.map((r) => ({ confidence: col.number(r, 'ai_confidence'), confirmed: r.review === 'confirmed' })));
  }

  async bulkThreshold(): Promise<number | null> {
    const v = await this.meta.get(BULK_THRESHOLD_META_KEY);
    return v === null || v === '' ? null : Number(v);
  }

  async setBulkThreshold(value: number | null): Promise<void> {
    await this.meta.set(BULK_THRESHOLD_META_KEY, value === null ? '' : String(value));
  }

  async bulkConfirm(threshold: number, actor: Actor, scope: Scope, at: Date): Promise<{ confirmed: number[]; remaining: number }> {
    const { items } = await this.queue({ limit: MAX_BULK_CONFIRM, minConfidence: threshold }, scope);
    const confirmed: number[] = [];
    for (const item of items) {
      try {
        await this.workflow.review({ id: item.id, decision: 'confirmed', note: `bulk-confirmed: AI confidence ${item.aiConfidence} >= ${threshold}` }, actor, at);
        confirmed.push(item.id);
      } catch (error) {
        // decided by someone else meanwhile (or out of the actor's reach): leave it to them
        if (error instanceof WorkflowError && (error.code === 'CONFLICT' || error.code === 'BAD_REQUEST')) continue;
        throw error;
      }
    }
    const remaining = (await this.queue({ limit: 1, minConfidence: threshold }, scope)).total;
    return { confirmed, remaining };
  }
}
