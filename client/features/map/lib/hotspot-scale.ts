/**
 * Colours and legend rows of the hot-spot modes: Gi* confidence bins on a diverging,
 * colour-blind-safe scale (ColorBrewer RdBu-7: hot reds, cold blues, not significant a faint
 * grey), and the emerging hot-spot classes on a qualitative palette (warm hues for hot
 * patterns, cool hues for cold ones, so the two families still read apart).
 */
import type { Rgba } from './color-scale.js';

/** Above resolution 9 (cells of ~0.1 km²) too few incidents fall in a cell for Gi* to mean much. */
export const HOTSPOT_MAX_RESOLUTION = 9;

export function hotspotResolution(hexbinResolution: number): number {
  return Math.min(hexbinResolution, HOTSPOT_MAX_RESOLUTION);
}

/** Gi* bins as the server sends them: +3/+2/+1 hot at 99/95/90 %, negatives cold, 0 not significant. */
export const GI_BINS = [3, 2, 1, 0, -1, -2, -3] as const;
export type GiBin = (typeof GI_BINS)[number];

const NOT_SIGNIFICANT: Rgba = [148, 163, 184, 70];

/** ColorBrewer RdBu-7 by bin. */
export const GI_COLORS: Record<GiBin, Rgba> = {
  3: [178, 24, 43, 255],
  2: [239, 138, 98, 255],
  1: [253, 219, 199, 255],
  0: NOT_SIGNIFICANT,
  [-1]: [209, 229, 240, 255],
  [-2]: [103, 169, 207, 255],
  [-3]: [33, 102, 172, 255],
};

export function giColor(bin: number): Rgba {
  return GI_COLORS[Math.max(-3, Math.min(3, Math.round(bin))) as GiBin];
}

/** `{kind}` and `{confidence}` of a bin's legend row: hot/cold and 99/95/90, or null (not significant). */
export function giBinParts(bin: number): { kind: 'hot' | 'cold'; confidence: 99 | 95 | 90 } | null {
  if (bin === 0) return null;
  const confidence = ([90, 95, 99] as const)[Math.min(3, Math.abs(bin)) - 1]!;
  return { kind: bin > 0 ? 'hot' : 'cold', confidence };
}

/** The emerging classes in legend order (the server's EmergingClass values). */
export const EMERGING_ORDER = [
  'new_hot',
  'consecutive_hot',
  'intensifying_hot',
  'persistent_hot',
  'diminishing_hot',
  'sporadic_hot',
  'oscillating_hot',
  'historical_hot',
  'new_cold',
  'consecutive_cold',
  'intensifying_cold',
  'persistent_cold',
  'diminishing_cold',
  'sporadic_cold',
  'oscillating_cold',
  'historical_cold',
  'no_pattern',
] as const;
export type EmergingClassName = (typeof EMERGING_ORDER)[number];

export const EMERGING_COLORS: Record<EmergingClassName, Rgba> = {
  new_hot: [215, 25, 28, 255],
  consecutive_hot: [244, 109, 67, 255],
  intensifying_hot: [128, 0, 38, 255],
  persistent_hot: [204, 76, 2, 255],
  diminishing_hot: [253, 174, 97, 255],
  sporadic_hot: [254, 224, 139, 255],
  oscillating_hot: [197, 27, 125, 255],
  historical_hot: [166, 118, 29, 255],
  new_cold: [8, 81, 156, 255],
  consecutive_cold: [66, 146, 198, 255],
  intensifying_cold: [37, 52, 148, 255],
  persistent_cold: [1, 133, 113, 255],
  diminishing_cold: [158, 202, 225, 255],
  sporadic_cold: [128, 205, 193, 255],
  oscillating_cold: [117, 107, 177, 255],
  historical_cold: [99, 112, 130, 255],
  no_pattern: NOT_SIGNIFICANT,
};

export function emergingIndex(name: string): number {
  const i = (EMERGING_ORDER as readonly string[]).indexOf(name);
  return i < 0 ? EMERGING_ORDER.length - 1 : i;
}

export function emergingColor(index: number): Rgba {
  return EMERGING_COLORS[EMERGING_ORDER[index] ?? 'no_pattern'];
}
