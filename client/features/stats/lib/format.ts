/** How a closure rate stands against its target: the colour of a KPI card or a ranking cell. */
export type RateTone = 'good' | 'warn' | 'bad' | 'none';

/** Below the target by less than this (a fraction: 0.1 = 10 percentage points) is amber, not red. */
export const AMBER_MARGIN = 0.1;

/**
 * Green at or above the target, amber within `margin` below it, red further below; `none`
 * when there is no rate (no incidents in the period). Rates and target are fractions (0.9 = 90 %).
 */
export function rateTone(rate: number | null, target: number, margin = AMBER_MARGIN): RateTone {
  if (rate === null || !Number.isFinite(rate)) return 'none';
  // Rates are ratios of small integers: compare with a little slack so 0.9 meets a 0.9 target.
  const EPSILON = 1e-9;
  if (rate >= target - EPSILON) return 'good';
  if (rate > target - margin + EPSILON) return 'warn';
  return 'bad';
}

/** A fraction as a whole percentage (`0.873` -> `87%`); `–` for none. */
export function formatRate(rate: number | null): string {
  return rate === null || !Number.isFinite(rate) ? '–' : `${Math.round(rate * 100)}%`;
}

/**
 * A relative change as a signed percentage (`0.25` -> `+25%`, `-0.1` -> `−10%`, `0` -> `±0%`);
 * null (no incidents before) is `newLabel`.
 */
export function formatChange(change: number | null, newLabel: string): string {
  if (change === null || !Number.isFinite(change)) return newLabel;
  const pct = Math.round(change * 100);
  if (pct === 0) return '±0%';
  return pct > 0 ? `+${pct}%` : `−${Math.abs(pct)}%`;
}

/** A count per month with one decimal below 10 (`2.5`), whole above (`14`). */
export function formatPerMonth(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}
