/**
 * Class breaks a person can read ("1–4, 5–9, 10–24…") and a colour-blind-safe sequential
 * palette (ColorBrewer YlOrRd, 6 classes) for colouring hexagons by a count.
 */
export type Rgba = [r: number, g: number, b: number, a: number];

/** ColorBrewer YlOrRd-6: sequential, colour-blind safe, readable on a light basemap. */
export const PALETTE: readonly Rgba[] = [
  [255, 255, 178, 255],
  [254, 217, 118, 255],
  [254, 178, 76, 255],
  [253, 141, 60, 255],
  [240, 59, 32, 255],
  [189, 0, 38, 255],
];

export interface ColorScale {
  /** Lower bounds of each class, ascending; class i is [breaks[i], breaks[i+1]). */
  breaks: number[];
  colors: Rgba[];
  colorOf: (value: number) => Rgba;
}

const NICE_STEPS = [1, 2, 2.5, 5, 10];

/** Rounds down to an integer below 10, else to 1, 2, 2.5 or 5 times a power of ten (counts are integers). */
export function niceFloor(value: number): number {
  if (value <= 1) return 1;
  if (value < 10) return Math.floor(value);
  const power = 10 ** Math.floor(Math.log10(value));
  let best = power;
  for (const step of NICE_STEPS) if (step * power <= value) best = step * power;
  return Number.isInteger(best) ? best : Math.floor(best);
}

/**
 * Quantile breaks of the non-zero values, rounded to nice numbers and deduplicated, so that
 * skewed data (a few hot cells, many with one incident) still spreads over the palette.
 */
export function quantileBreaks(values: ArrayLike<number>, classes = PALETTE.length): number[] {
  const sorted = Array.from(values).filter((v) => v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks = [1];
  for (let i = 1; i < classes; i++) {
    const q = sorted[Math.min(sorted.length - 1, Math.floor((i / classes) * sorted.length))]!;
    const nice = niceFloor(q);
    if (nice > breaks[breaks.length - 1]!) breaks.push(nice);
  }
  return breaks;
}

/** Equal steps of a nice width from 1 to `max`: 1, 2–3, 4–5… when the counts are small. */
export function equalBreaks(max: number, classes = PALETTE.length): number[] {
  if (max < 1) return [];
  const step = Math.max(1, niceCeil(max / classes));
  const breaks: number[] = [1];
  for (let lower = step; lower <= max && breaks.length < classes; lower += step) if (lower > 1) breaks.push(lower);
  return breaks;
}

function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of NICE_STEPS) if (step * power >= value && Number.isInteger(step * power)) return step * power;
  return 10 * power;
}

/**
 * Quantile breaks when they give enough classes (skewed counts: a few hot cells); equal steps
 * when the counts are few and small (quantiles of [1, 1, 1, 2, 7] collapse into "1" and "2–7").
 */
export function colorScale(values: ArrayLike<number>): ColorScale {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  const quantiles = quantileBreaks(values);
  const equal = equalBreaks(max);
  const breaks = quantiles.length >= Math.min(4, equal.length) ? quantiles : equal;
  // Spread the classes we have over the whole palette so few classes still contrast.
  const colors = breaks.map((_, i) =>
    PALETTE[breaks.length === 1 ? PALETTE.length - 2 : Math.round((i * (PALETTE.length - 1)) / (breaks.length - 1))]!,
  );
  const colorOf = (value: number): Rgba => {
    let index = 0;
    for (let i = 0; i < breaks.length; i++) if (value >= breaks[i]!) index = i;
    return colors[index] ?? PALETTE[0]!;
  };
  return { breaks, colors, colorOf };
}

/** "1–4", "5–9", "10+" labels of the classes. */
export function breakLabels(breaks: number[], max: number): string[] {
  return breaks.map((lower, i) => {
    const next = breaks[i + 1];
    if (next === undefined) return lower >= max ? `${lower}` : `${lower}–${max}`;
    return next - 1 === lower ? `${lower}` : `${lower}–${next - 1}`;
  });
}
