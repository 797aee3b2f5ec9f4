/**
 * Emerging hot-spot analysis over weekly steps: Gi* per step, then each location's series of
 * significant hot/cold steps and the Mann-Kendall trend of its z-scores classified with the
 * definitions of ArcGIS "Emerging Hot Spot Analysis"
 * (https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm).
 * Pure. Differences from ArcGIS, on purpose: the neighbourhood is spatial only (no time-step
 * neighbours), and FDR is applied per step over the study area.
 */
import { giStar, h3Neighbours } from './getis-ord.js';
import type { Neighbours } from './getis-ord.js';
import { mannKendall } from './mann-kendall.js';
import type { MannKendallResult } from './mann-kendall.js';

export const EMERGING_PATTERNS = [
  'new',
  'consecutive',
  'intensifying',
  'persistent',
  'diminishing',
  'sporadic',
  'oscillating',
  'historical',
] as const;
export type EmergingPattern = (typeof EMERGING_PATTERNS)[number];

export type EmergingClass = 'no_pattern' | `${EmergingPattern}_${'hot' | 'cold'}`;

export const EMERGING_CLASSES: readonly EmergingClass[] = [
  'no_pattern',
  ...EMERGING_PATTERNS.map((p) => `${p}_hot` as const),
  ...EMERGING_PATTERNS.map((p) => `${p}_cold` as const),
];

/** The classes an alert is raised for: a hot spot that is appearing or growing. */
export const ALERT_CLASSES: readonly EmergingClass[] = ['new_hot', 'consecutive_hot', 'intensifying_hot'];

/** Plain-words meaning of each class, for legends, tooltips and alert cards. */
export const EMERGING_MEANING: Record<EmergingClass, string> = {
  no_pattern: 'No hot or cold spot pattern.',
  new_hot: 'A hot spot in the latest week for the first time.',
  consecutive_hot: 'A hot spot for the last weeks in a row, for the first time.',
  intensifying_hot: 'A hot spot in at least 90 % of the weeks, getting stronger.',
  persistent_hot: 'A hot spot in at least 90 % of the weeks, without a trend.',
  diminishing_hot: 'A hot spot in at least 90 % of the weeks, getting weaker.',
  sporadic_hot: 'A hot spot in the latest week, on and off before (never a cold spot).',
  oscillating_hot: 'A hot spot in the latest week that was a cold spot before.',
  historical_hot: 'Was a hot spot in at least 90 % of the weeks, but not in the latest.',
  new_cold: 'A cold spot in the latest week for the first time.',
  consecutive_cold: 'A cold spot for the last weeks in a row, for the first time.',
  intensifying_cold: 'A cold spot in at least 90 % of the weeks, getting stronger.',
  persistent_cold: 'A cold spot in at least 90 % of the weeks, without a trend.',
  diminishing_cold: 'A cold spot in at least 90 % of the weeks, getting weaker.',
  sporadic_cold: 'A cold spot in the latest week, on and off before (never a hot spot).',
  oscillating_cold: 'A cold spot in the latest week that was a hot spot before.',
  historical_cold: 'Was a cold spot in at least 90 % of the weeks, but not in the latest.',
};

/** One location in one step: its Gi* z-score and whether it is significant after FDR. */
export interface StepSignificance {
  z: number;
  hot: boolean;
  cold: boolean;
}

export interface EmergingOptions {
  /** Significance of the trend of z-scores (intensifying, diminishing). Default 0.05. */
  trendAlpha?: number;
  /** Share of steps that makes a spot persistent, intensifying, diminishing or historical. Default 0.9. */
  persistentShare?: number;
}

export interface Classification {
  class: EmergingClass;
  trend: MannKendallResult;
  /**
   * Index of the step where the current run of hot (or cold) steps ending at the final step
   * began; null when the final step is neither. Identifies an episode: it stays the same while
   * the run lasts.
   */
  runStart: number | null;
}

/**
 * The emerging class of one location from its steps, oldest first.
 * @throws RangeError when there are no steps.
 */
export function classifyEmerging(steps: readonly StepSignificance[], opts: EmergingOptions = {}): Classification {
  if (!steps.length) throw new RangeError('steps: at least one time step is needed');
  const trendAlpha = opts.trendAlpha ?? 0.05;
  const share = opts.persistentShare ?? 0.9;
  const trend = mannKendall(steps.map((s) => s.z));
  const last = steps[steps.length - 1]!;
  const side = last.hot ? 'hot' : last.cold ? 'cold' : null;
  if (!side) {
    const historical = (['hot', 'cold'] as const).find((k) => countOf(steps, k) >= share * steps.length - 1e-9);
    return { class: historical ? `historical_${historical}` : 'no_pattern', trend, runStart: null };
  }
  const other = side === 'hot' ? 'cold' : 'hot';
  const T = steps.length;
  let runStart = T - 1;
  while (runStart > 0 && steps[runStart - 1]![side]) runStart--;
  const count = countOf(steps, side);
  const pattern = ((): EmergingPattern => {
    if (count >= share * T - 1e-9) {
      // "intensity" is the z of this side: larger z for hot, more negative z for cold
      const rising = side === 'hot' ? trend.z > 0 : trend.z < 0;
      if (trend.p <= trendAlpha && trend.s !== 0) return rising ? 'intensifying' : 'diminishing';
      return 'persistent';
    }
    if (count === 1) return 'new';
    if (count === T - runStart) return 'consecutive'; // a run of two or more, never this side before it
    return steps.some((s) => s[other]) ? 'oscillating' : 'sporadic';
  })();
  return { class: `${pattern}_${side}`, trend, runStart };
}

function countOf(steps: readonly StepSignificance[], side: 'hot' | 'cold'): number {
  return steps.reduce((n, s) => n + (s[side] ? 1 : 0), 0);
}

export interface SpaceTimeCube {
  /** The study area: every location with data in any step (ArcGIS's cube keeps those). */
  cells: readonly string[];
  /** counts[step][k] for cells[k], steps oldest first. */
  counts: readonly (readonly number[])[];
}

export interface EmergingResult {
  cells: string[];
  classes: EmergingClass[];
  /** Gi* z-score per cell in the final step. */
  finalZ: number[];
  /** Mann-Kendall of each cell's z-scores over the steps. */
  trendZ: number[];
  trendP: number[];
  runStart: (number | null)[];
}

/**
 * Classifies every cell of the cube. A step's Gi* is significant when its FDR-adjusted p is at
 * most `alpha` (default 0.10: the 90 % confidence ArcGIS uses for emerging hot spots).
 */
export function emergingHotSpots(
  cube: SpaceTimeCube,
  opts: EmergingOptions & { alpha?: number; neighbours?: Neighbours } = {},
): EmergingResult {
  const alpha = opts.alpha ?? 0.1;
  const perCell: StepSignificance[][] = cube.cells.map(() => []);
  for (const stepCounts of cube.counts) {
    const gi = giStar(new Map(cube.cells.map((c, k) => [c, stepCounts[k] ?? 0])), opts.neighbours ?? h3Neighbours);
    gi.z.forEach((z, k) => {
      const significant = gi.q[k]! <= alpha;
      perCell[k]!.push({ z, hot: significant && z > 0, cold: significant && z < 0 });
    });
  }
  const result: EmergingResult = { cells: [...cube.cells], classes: [], finalZ: [], trendZ: [], trendP: [], runStart: [] };
  perCell.forEach((steps) => {
    if (!steps.length) {
      result.classes.push('no_pattern');
      result.finalZ.push(0);
      result.trendZ.push(0);
      result.trendP.push(1);
      result.runStart.push(null);
      return;
    }
    const c = classifyEmerging(steps, opts);
    result.classes.push(c.class);
    result.finalZ.push(steps[steps.length - 1]!.z);
    result.trendZ.push(c.trend.z);
    result.trendP.push(c.trend.p);
    result.runStart.push(c.runStart);
  });
  return result;
}
