/**
 * Getis-Ord Gi* hot-spot statistic over H3 cells (Getis & Ord 1992; Ord & Getis 1995), the
 * statistic of ArcGIS "Hot Spot Analysis". Pure: the neighbourhood comes in as a function, by
 * default the cell and its six neighbours (`gridDisk(cell, 1)`) with binary weights.
 *
 *   Gi* = (sum_j w_ij x_j - mean * sum_j w_ij) / (S * sqrt((n * sum_j w_ij^2 - (sum_j w_ij)^2) / (n - 1)))
 *
 * over the n cells of the study area, with the cell itself in its own neighbourhood (that is the
 * star), mean and S the mean and (population) standard deviation of all n values. Gi* is itself
 * a z-score. Neighbours outside the study area are left out of the sums.
 */
import { gridDisk } from 'h3-js';
import { benjaminiHochberg } from './fdr.js';
import { twoSidedP } from './normal.js';

/** The cells a cell's neighbourhood includes (itself among them), as h3-js ids. */
export type Neighbours = (cell: string) => readonly string[];

/** The cell and its ring of six (five around a pentagon): gridDisk(k = 1). */
export const h3Neighbours: Neighbours = (cell) => gridDisk(cell, 1);

export interface GiStarResult {
  /** The study area, in input order. */
  cells: string[];
  /** Gi* z-score per cell; 0 where the statistic is undefined (all values equal). */
  z: number[];
  /** Two-sided p-value of z. */
  p: number[];
  /** Benjamini-Hochberg adjusted p over the whole study area. */
  q: number[];
  /** Confidence bin after FDR: +3/+2/+1 hot at 99/95/90 %, -3/-2/-1 cold, 0 not significant. */
  bin: number[];
}

/**
 * Gi* of every cell of the study area. `values` holds one value per cell; cells absent from it
 * are not part of the study area. Include zero-valued cells explicitly when they belong to it.
 */
export function giStar(values: ReadonlyMap<string, number>, neighbours: Neighbours = h3Neighbours): GiStarResult {
  const cells = [...values.keys()];
  const n = cells.length;
  let sum = 0;
  let sumSq = 0;
  for (const v of values.values()) {
    sum += v;
    sumSq += v * v;
  }
  const mean = n ? sum / n : 0;
  // population variance; clamp the rounding error of a constant field to exactly zero
  const s = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  const z = cells.map((cell) => {
    let w = 0;
    let wx = 0;
    for (const j of new Set(neighbours(cell))) {
      const x = values.get(j);
      if (x === undefined) continue;
      w += 1;
      wx += x;
    }
    const spread = (n * w - w * w) / (n - 1);
    if (!(s > 1e-12) || !(spread > 0)) return 0; // constant field, or the neighbourhood is the whole area
    return (wx - mean * w) / (s * Math.sqrt(spread));
  });
  const p = z.map(twoSidedP);
  const q = benjaminiHochberg(p);
  return { cells, z, p, q, bin: z.map((zi, i) => confidenceBin(zi, q[i]!)) };
}

/** Confidence levels of the bins, as significance levels (1 - confidence). */
export const BIN_ALPHAS = [0.1, 0.05, 0.01] as const;

/** +3/+2/+1 (hot at 99/95/90 %), the negatives for cold, 0 when `p` (FDR-adjusted) exceeds 0.10. */
export function confidenceBin(z: number, adjustedP: number): number {
  const level = adjustedP <= 0.01 ? 3 : adjustedP <= 0.05 ? 2 : adjustedP <= 0.1 ? 1 : 0;
  if (level === 0) return 0;
  return z > 0 ? level : -level;
}
