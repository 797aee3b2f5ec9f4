/**
 * False-discovery-rate correction (Benjamini & Hochberg 1995). Pure.
 */

/**
 * BH-adjusted p-values ("q-values" as R's `p.adjust(p, "BH")` returns them), in input order.
 * Rejecting every hypothesis with adjusted p <= alpha is the BH procedure at FDR level alpha,
 * so one adjustment serves the 90, 95 and 99 % bins alike.
 * @throws RangeError when a p-value is outside [0, 1] or not a number.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value ${p} is outside [0, 1]`);
  }
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[b]! - pValues[a]!); // largest first
  const adjusted = new Array<number>(m);
  let running = 1;
  order.forEach((index, k) => {
    const rank = m - k; // 1-based rank in ascending order
    running = Math.min(running, (pValues[index]! * m) / rank);
    adjusted[index] = running;
  });
  return adjusted;
}
