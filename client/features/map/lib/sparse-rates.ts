/**
 * Rates over few incidents are noise (issue 19: in 闭环率 mode a cell with one open incident
 * showed 0 % in the darkest red). Cells under a minimum count get a muted colour of their own
 * and no height, instead of a rate's colour.
 */
import type { Metric } from '../../../lib/url-state.js';
import type { Rgba } from './color-scale.js';
import type { MetricScale } from './metrics.js';

/** Fewer incidents in a cell than this, and its rate is not coloured. */
export const RATE_MIN_COUNT = 5;

/** Translucent slate: visibly "there is something here", but no class of the rate's palette. */
export const SPARSE_COLOR: Rgba = [148, 163, 184, 120];

/** The metrics that are rates (a share of a cell's incidents), to which the minimum applies. */
export const RATE_METRICS: ReadonlySet<Metric> = new Set<Metric>(['closure']);

/** `values` with NaN where the cell's incident count is under `minCount` (same index as `counts`). */
export function muteSparse(values: readonly number[], counts: readonly number[], minCount = RATE_MIN_COUNT): number[] {
  return values.map((v, i) => ((counts[i] ?? 0) < minCount ? Number.NaN : v));
}

/** A scale that draws NaN (a muted cell) in `SPARSE_COLOR`, flat, and lists it last in the legend. */
export function withSparse(scale: MetricScale, label: string): MetricScale {
  return {
    classes: [...scale.classes, { label, color: SPARSE_COLOR }],
    colorOf: (v) => (Number.isNaN(v) ? SPARSE_COLOR : scale.colorOf(v)),
    heightOf: (v) => (Number.isNaN(v) ? 0 : scale.heightOf(v)),
  };
}
