/**
 * The colour metrics of the map (DESIGN.md "Hexbins": count, severity-weighted, open, overdue,
 * closure rate) and their scales with legend labels a person can read.
 */
import type { Metric } from '../../../lib/url-state.js';
import { breakLabels, colorScale, PALETTE } from './color-scale.js';
import type { Rgba } from './color-scale.js';

export interface HexMetrics {
  count: number[];
  weighted: number[];
  open: number[];
  closed: number[];
  overdue: number[];
}

/** A pale neutral for cells whose metric is 0 (incidents there, but none open, say). */
export const ZERO_COLOR: Rgba = [203, 213, 225, 150];

/** Closure-rate classes as fractions: under 50 %, 50–70, 70–80, 80–90, at least 90 % (the target). */
export const CLOSURE_BREAKS = [0, 0.5, 0.7, 0.8, 0.9] as const;

/** Value of `metric` for each cell; closure rate is closed / count (0..1). */
export function metricValues(h: HexMetrics, metric: Metric): number[] {
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
      return h.count.map((c, i) => (c > 0 ? (h.closed[i] ?? 0) / c : 0));
  }
}

export interface MetricScale {
  /** Legend rows, lowest class first. */
  classes: Array<{ label: string; color: Rgba }>;
  colorOf: (value: number) => Rgba;
  /** 0..1 for the extrusion height. */
  heightOf: (value: number) => number;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/**
 * The scale of a metric over the values in view. Counts use quantile or equal breaks over the
 * YlOrRd palette (see color-scale.ts), with a neutral for 0; the closure rate uses fixed breaks
 * around the 90 % target, low rates in the hot colours (they are the problem).
 */
export function metricScale(values: readonly number[], metric: Metric): MetricScale {
  if (metric === 'closure') {
    // Red for low closure, pale for at-or-above target: the palette read backwards.
    const colors = CLOSURE_BREAKS.map((_, i) => PALETTE[PALETTE.length - 1 - i]!);
    const classOf = (v: number) => {
      let index = 0;
      for (let i = 0; i < CLOSURE_BREAKS.length; i++) if (v >= CLOSURE_BREAKS[i]!) index = i;
      return index;
    };
    return {
      classes: CLOSURE_BREAKS.map((lower, i) => {
        const next = CLOSURE_BREAKS[i + 1];
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
