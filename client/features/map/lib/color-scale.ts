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

/** Rounds down to 1, 2, 2.5 or 5 times a power of ten (never below 1: counts are integers). */
export function niceFloor(value: number): number {
  if (value <= 1) return 1;
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

export function colorScale(values: ArrayLike<number>): ColorScale {
  const breaks = quantileBreaks(values);
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
