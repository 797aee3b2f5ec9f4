/**
 * Class breaks a person can read (lib/nice-breaks.ts: "1, 2–4, 5–9, ≥ 10") and a
 * colour-blind-safe sequential palette for colouring hexagons by a count.
 */
import { niceBreaks, niceLabels } from './nice-breaks.js';

export type Rgba = [r: number, g: number, b: number, a: number];

/**
 * ColorBrewer YlOrRd-7 without its palest class (#ffffb2): that one vanished against the
 * basemap's cream land (#f3f1ec) once blended at the hexagons' opacity (issue 19). Sequential
 * and colour-blind safe.
 */
export const PALETTE: readonly Rgba[] = [
  [254, 217, 118, 255],
  [254, 178, 76, 255],
  [253, 141, 60, 255],
  [252, 78, 42, 255],
  [227, 26, 28, 255],
  [177, 0, 38, 255],
];

export interface ColorScale {
  /** Lower bounds of each class, ascending; class i is [breaks[i], breaks[i+1]). */
  breaks: number[];
  colors: Rgba[];
  colorOf: (value: number) => Rgba;
}

/**
 * Breaks of the values: one class per integer when the largest value is at most the palette's
 * length (1, 2, 3… are as readable as it gets), else quantiles rounded to 1-2-5 (nice-breaks.ts).
 */
export function colorBreaks(values: ArrayLike<number>): number[] {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) max = Math.max(max, values[i]!);
  if (max < 1) return [];
  if (max <= PALETTE.length) return Array.from({ length: Math.floor(max) }, (_, i) => i + 1);
  return niceBreaks(values, PALETTE.length);
}

export function colorScale(values: ArrayLike<number>): ColorScale {
  const breaks = colorBreaks(values);
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

/** "1", "2–4", "≥ 5" labels of the classes. */
export function breakLabels(breaks: readonly number[]): string[] {
  return niceLabels(breaks);
}
