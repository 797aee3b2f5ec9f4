import type { Verdict } from '../api/use-countermeasures.js';

/** Outline colours of countermeasure cells on the map, by verdict (RGBA). */
export const VERDICT_COLOR: Record<Verdict, [number, number, number, number]> = {
  effective: [22, 163, 74, 255],
  no_change: [100, 116, 139, 255],
  worse: [220, 38, 38, 255],
  too_early: [217, 119, 6, 255],
};

export function verdictCss(verdict: Verdict): string {
  const [r, g, b] = VERDICT_COLOR[verdict];
  return `rgb(${r}, ${g}, ${b})`;
}

/** A rate ratio as people read it: 0.1 -> "-90 %", 1.5 -> "+50 %". */
export function ratioAsChange(ratio: number | null): string {
  if (ratio === null) return '–';
  const pct = Math.round((ratio - 1) * 100);
  return `${pct > 0 ? '+' : ''}${pct} %`;
}

export function formatRatio(value: number | null): string {
  if (value === null) return '∞';
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}
