/**
 * Legend class breaks a person can read and that do not jump while the map pans (issue 19):
 * quantiles of the counts rounded down to the 1-2-5 sequence (1, 2, 5, 10, 20, 50, 100…).
 * Consecutive 1-2-5 numbers are at least twice apart, so no class is a sliver such as 20–24,
 * and a small change of the data in view moves a break only when a quantile crosses one of
 * these round numbers. The top class is open ("≥ 500"), so its label does not follow the
 * single busiest cell in view.
 */

/** The multipliers of the 1-2-5 sequence within one power of ten. */
const STEPS_125 = [1, 2, 5] as const;

/**
 * The largest number of the 1-2-5 sequence not above `value` (at least 1: counts are integers
 * and the lowest class starts at 1).
 */
export function floor125(value: number): number {
  if (!(value >= 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  let best = power;
  for (const step of STEPS_125) if (step * power <= value) best = step * power;
  return best;
}

/**
 * Where the quantiles are taken, as shares of the cells with a count: denser at the top, where
 * skewed incident counts (many cells with 1, a few with hundreds) need the classes.
 */
export const QUANTILE_SHARES = [0.4, 0.65, 0.82, 0.93, 0.98] as const;

/**
 * Lower bounds of the classes, ascending, starting at 1: the positive `values`' quantiles at
 * `QUANTILE_SHARES` (the first `classes - 1` of them), each rounded down to 1-2-5 and
 * deduplicated. Zeros and negatives are left out (the map gives 0 a neutral colour of its own).
 * No positive value gives no classes.
 */
export function niceBreaks(values: ArrayLike<number>, classes = QUANTILE_SHARES.length + 1): number[] {
  const sorted = Array.from(values)
    .filter((v) => v > 0 && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks = [1];
  for (const share of QUANTILE_SHARES.slice(0, Math.max(0, classes - 1))) {
    const q = sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
    const nice = floor125(q);
    if (nice > breaks[breaks.length - 1]!) breaks.push(nice);
  }
  return breaks;
}

/** "1", "2–4", "5–9", "≥ 10": every integer in exactly one class, the top class open. */
export function niceLabels(breaks: readonly number[]): string[] {
  return breaks.map((lower, i) => {
    const next = breaks[i + 1];
    if (next === undefined) return `≥ ${lower}`;
    return next - 1 === lower ? `${lower}` : `${lower}–${next - 1}`;
  });
}
