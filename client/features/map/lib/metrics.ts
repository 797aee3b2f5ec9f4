/**
 * The colour metrics of the map (DESIGN.md "Hexbins": count, severity-weighted, open, overdue,
 * and the `closure` metric, which is a cell's share closed: server/domain/closure.ts
 * cellShareClosed, not the monthly closure rate KPI; issue 16: the share of AI detections awaiting
 * review, incidents per 1,000 deliveries) and their scales with legend labels a person can read.
 * A metric that is not defined in a cell (no AI detection there, no per-cell exposure there) is
 * NaN and drawn in NO_VALUE_COLOR, never as 0.
 */
import { CLOSURE_RATE_TARGET, cellShareClosed } from '../../../../server/domain/closure.js';
import type { Hexbins } from '../../../../server/domain/hexbin-wire.js';
import type { Metric } from '../../../lib/url-state.js';
import { breakLabels, colorScale, PALETTE } from './color-scale.js';
import type { Rgba } from './color-scale.js';

/** The columns of a decoded `map.hexbins` answer the metrics read. */
export type HexMetrics = Pick<Hexbins, 'cells' | 'count' | 'weighted' | 'open' | 'closed' | 'overdue' | 'ai' | 'pending'>;

/**
 * Incidents per 1,000 deliveries of the cells that have per-cell exposure (map.exposureRates):
 * the empirical Bayes smoothed rate colours the map, the raw one is shown beside it.
 */
export interface CellRates {
  cells: string[];
  per1000: number[];
  per1000Smoothed: number[];
}

/** A pale neutral for cells whose metric is 0 (incidents there, but none open, say). */
export const ZERO_COLOR: Rgba = [203, 213, 225, 150];

/** Lower bounds of the share-closed classes below the target: 40, 20 and 10 points under it. */
const BELOW_TARGET = [0.4, 0.2, 0.1] as const;

/**
 * Share-closed classes as fractions, the last one starting at `target` (the settings'
 * closureTarget): with the default 90 % under 50 %, 50–70, 70–80, 80–90, at least 90 %. Bounds
 * under 0 are dropped; 0 always starts the first class.
 */
export function closureBreaks(target: number = CLOSURE_RATE_TARGET): number[] {
  const t = Math.min(1, Math.max(0, target));
  const bounds = [0, ...BELOW_TARGET.map((d) => Math.round((t - d) * 1000) / 1000), t];
  return bounds.filter((b, i) => b >= 0 && bounds.indexOf(b) === i);
}

/** A grey with a hatch-like low alpha for cells where the metric is not defined (NaN). */
export const NO_VALUE_COLOR: Rgba = [148, 163, 184, 90];

/** Awaiting-review share classes as fractions: under 10 %, 10–25, 25–50, 50–75, at least 75 %. */
export const PENDING_BREAKS = [0, 0.1, 0.25, 0.5, 0.75] as const;

/**
 * Value of `metric` for each cell; `closure` is the cell's share closed (0..1; 0 for an empty cell), the awaiting-review
 * share pending / ai (0..1, NaN without AI detections), per1000 the smoothed rate of the cell from
 * `rates` (NaN for a cell without per-cell exposure).
 */
export function metricValues(h: HexMetrics, metric: Metric, rates?: CellRates): number[] {
  switch (metric) {
    case 'count':
      return h.count;
    case 'weighted':
      return h.weighted;
    case 'open':
      return h.open;
    case 'overdue':
      return h.overdue;
    case 'closure':
      return h.count.map((c, i) => cellShareClosed(h.closed[i] ?? 0, c) ?? 0);
    case 'pending':
      return h.ai.map((a, i) => (a > 0 ? (h.pending[i] ?? 0) / a : NaN));
    case 'per1000': {
      const byCell = new Map<string, number>();
      rates?.cells.forEach((cell, i) => byCell.set(cell, rates.per1000Smoothed[i]!));
      return h.cells.map((cell) => byCell.get(cell) ?? NaN);
    }
  }
}

/**
 * Class breaks of rates (per 1,000 deliveries): quantiles of the defined values rounded to two
 * significant digits and deduplicated, lowest 0. Rates are not counts: the count breaks (integers
 * from 1) would put every rate under 1 into one class.
 */
export function rateBreaks(values: readonly number[], classes = PALETTE.length): number[] {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return [];
  const breaks = [0];
  for (let i = 1; i < classes; i++) {
    const q = Number(sorted[Math.min(sorted.length - 1, Math.floor((i / classes) * sorted.length))]!.toPrecision(2));
    if (q > breaks[breaks.length - 1]!) breaks.push(q);
  }
  return breaks;
}

export interface MetricScale {
  /** Legend rows, lowest class first. */
  classes: Array<{ label: string; color: Rgba }>;
  colorOf: (value: number) => Rgba;
  /** 0..1 for the extrusion height. */
  heightOf: (value: number) => number;
}

/** A fraction as a percent with at most one decimal (a target of 85.5 % stays readable). */
function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

/**
 * The scale of a metric over the values in view. Counts use quantile or equal breaks over the
 * YlOrRd palette (see color-scale.ts), with a neutral for 0; the share closed uses fixed breaks
 * below `closureTarget` (the settings' target, a fraction), low shares in the hot colours (they
 * are the problem).
 */
export function metricScale(values: readonly number[], metric: Metric, closureTarget: number = CLOSURE_RATE_TARGET): MetricScale {
  const undefinedRow = values.some((v) => Number.isNaN(v)) ? [{ label: '–', color: NO_VALUE_COLOR }] : [];
  if (metric === 'pending') {
    // the larger the share left unreviewed, the hotter
    const colors = PENDING_BREAKS.map((_, i) => PALETTE[i + 1]!);
    const classOf = (v: number) => {
      let index = 0;
      for (let i = 0; i < PENDING_BREAKS.length; i++) if (v >= PENDING_BREAKS[i]!) index = i;
      return index;
    };
    return {
      classes: [
        ...undefinedRow,
        ...PENDING_BREAKS.map((lower, i) => {
          const next = PENDING_BREAKS[i + 1];
          return { label: next === undefined ? `≥ ${percent(lower)}` : `${percent(lower)}–${percent(next)}`, color: colors[i]! };
        }),
      ],
      colorOf: (v) => (Number.isNaN(v) ? NO_VALUE_COLOR : colors[classOf(v)]!),
      heightOf: (v) => (Number.isNaN(v) ? 0 : Math.min(1, Math.max(0, v))),
    };
  }
  if (metric === 'per1000') {
    const breaks = rateBreaks(values);
    const colors = breaks.map((_, i) => PALETTE[breaks.length === 1 ? PALETTE.length - 2 : Math.round((i * (PALETTE.length - 1)) / (breaks.length - 1))]!);
    const max = values.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, v) : m), 0);
    const classOf = (v: number) => {
      let index = 0;
      for (let i = 0; i < breaks.length; i++) if (v >= breaks[i]!) index = i;
      return index;
    };
    return {
      classes: [
        ...undefinedRow,
        ...breaks.map((lower, i) => {
          const next = breaks[i + 1];
          return { label: next === undefined ? `≥ ${lower}` : `${lower}–${next}`, color: colors[i]! };
        }),
      ],
      colorOf: (v) => (Number.isNaN(v) || !breaks.length ? NO_VALUE_COLOR : colors[classOf(v)]!),
      heightOf: (v) => (Number.isNaN(v) || max <= 0 ? 0 : v / max),
    };
  }
  if (metric === 'closure') {
    const breaks = closureBreaks(closureTarget);
    // Red for low closure, pale for at-or-above target: the palette read backwards.
    const colors = breaks.map((_, i) => PALETTE[PALETTE.length - 1 - i]!);
    const classOf = (v: number) => {
      let index = 0;
      for (let i = 0; i < breaks.length; i++) if (v >= breaks[i]!) index = i;
      return index;
    };
    return {
      classes: breaks.map((lower, i) => {
        const next = breaks[i + 1];
        return { label: next === undefined ? `≥ ${percent(lower)}` : `${percent(lower)}–${percent(next)}`, color: colors[i]! };
      }),
      colorOf: (v) => colors[classOf(v)]!,
      heightOf: (v) => 1 - Math.min(1, Math.max(0, v)),
    };
  }
  const scale = colorScale(values);
  let max = 0;
  let hasZero = false;
  for (const v of values) {
    max = Math.max(max, v);
    if (v <= 0) hasZero = true;
  }
  const labels = breakLabels(scale.breaks);
  const classes = scale.breaks.map((_, i) => ({ label: labels[i]!, color: scale.colors[i]! }));
  if (hasZero && classes.length) classes.unshift({ label: '0', color: ZERO_COLOR });
  return {
    classes,
    colorOf: (v) => (v <= 0 ? ZERO_COLOR : scale.colorOf(v)),
    heightOf: (v) => (max > 0 ? Math.max(0, v) / max : 0),
  };
}
