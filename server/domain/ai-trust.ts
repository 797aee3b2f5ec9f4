/**
 * How far to trust the AI pipeline (issue 16). Pure: no SQL.
 *
 * - Confirm rate of a set of detections: confirmed / (confirmed + rejected); pending ones are not
 *   decided yet and count in neither.
 * - Review queue by expected value: confidence x severity weight (SEVERITY_WEIGHT 1, 2, 4, 8), so
 *   a likely-true severe detection comes before a doubtful minor one; ties oldest first.
 * - Suggested threshold: the lowest confidence t such that, of the past decided detections with
 *   confidence >= t, at least TARGET_CONFIRM_RATE were confirmed, over at least MIN_SAMPLES.
 */
import type { Severity } from './incident.js';
import { SEVERITY_WEIGHT } from './incident.js';

export const TARGET_CONFIRM_RATE = 0.95;
/** Fewer decided detections above a threshold than this prove nothing. */
export const MIN_SAMPLES = 30;
/** Characters of an AI model version (ingest `ai.modelVersion`, CSV `ai_model_version`). */
export const MAX_MODEL_VERSION_CHARS = 100;

/** confirmed / (confirmed + rejected); null when nothing was decided. */
export function confirmRate(confirmed: number, rejected: number): number | null {
  const decided = confirmed + rejected;
  return decided > 0 ? confirmed / decided : null;
}

/** The review queue's key: confidence (0..1) x severity weight. */
export function expectedValue(confidence: number | null, severity: Severity): number {
  // a detection without a confidence is treated as a coin toss
  return (confidence ?? 0.5) * SEVERITY_WEIGHT[severity];
}

export interface QueueItem {
  id: number;
  severity: Severity;
  aiConfidence: number | null;
  occurredAt: Date;
}

/** Highest expected value first; ties by the oldest occurrence, then id. Returns a new array. */
export function orderReviewQueue<T extends QueueItem>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) =>
      expectedValue(b.aiConfidence, b.severity) - expectedValue(a.aiConfidence, a.severity) ||
      a.occurredAt.getTime() - b.occurredAt.getTime() ||
      a.id - b.id,
  );
}

export interface Decided {
  confidence: number;
  confirmed: boolean;
}

export interface ThresholdSuggestion {
  /** The lowest confidence that qualifies, or null when none does. */
  threshold: number | null;
  /** Decided detections at or above it, and the share of them confirmed. */
  samples: number;
  confirmRate: number | null;
}

/**
 * The suggested bulk-confirm threshold over past decided detections.
 * @throws RangeError for a confidence outside 0..1
 */
export function suggestThreshold(decided: readonly Decided[], target = TARGET_CONFIRM_RATE, minSamples = MIN_SAMPLES): ThresholdSuggestion {
  for (const d of decided) if (!(d.confidence >= 0 && d.confidence <= 1)) throw new RangeError(`confidence ${d.confidence} is outside 0..1`);
  // from the highest confidence down: running counts of the set `confidence >= t`
  const sorted = [...decided].sort((a, b) => b.confidence - a.confidence);
  let best: ThresholdSuggestion = { threshold: null, samples: 0, confirmRate: null };
  let confirmed = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.confirmed) confirmed++;
    // only at the last of equal confidences is the set `confidence >= t` complete
    if (i + 1 < sorted.length && sorted[i + 1]!.confidence === sorted[i]!.confidence) continue;
    const n = i + 1;
    if (n >= minSamples && confirmed / n >= target) best = { threshold: sorted[i]!.confidence, samples: n, confirmRate: confirmed / n };
  }
  return best;
}
