/**
 * Mann-Kendall trend test (Mann 1945; Kendall 1975), with the variance corrected for ties, as
 * R's `Kendall::MannKendall` and `pymannkendall.original_test` compute it. Pure.
 */
import { twoSidedP } from './normal.js';

export interface MannKendallResult {
  /** Sum over i < j of sign(x_j - x_i). */
  s: number;
  /** Variance of S under no trend, corrected for ties. */
  varS: number;
  /** Continuity-corrected z: (S - 1)/sqrt(varS) for S > 0, (S + 1)/sqrt(varS) for S < 0, else 0. */
  z: number;
  /** Two-sided p-value of z. */
  p: number;
  /** Kendall's tau, S / (n (n - 1) / 2). */
  tau: number;
}

/** Mann-Kendall of a series in time order. Fewer than two values give S = 0 and p = 1. */
export function mannKendall(series: readonly number[]): MannKendallResult {
  const n = series.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign(series[j]! - series[i]!);
  }
  const ties = new Map<number, number>();
  for (const x of series) ties.set(x, (ties.get(x) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const z = varS > 0 ? (s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0) : 0;
  const pairs = (n * (n - 1)) / 2;
  return { s, varS, z, p: twoSidedP(z), tau: pairs ? s / pairs : 0 };
}
