/**
 * `window.__hexwatchCharts[testId]`: where a chart's items are on screen, for the browser tests
 * to click a bar as a person would (the charts draw SVG paths without names). Read-only facts.
 */
export interface ChartPoint {
  /** The item's key (e.g. `exception:red_light`). */
  key: string;
  /** Viewport CSS pixels of the item's centre. */
  x: number;
  y: number;
}

export interface ChartTestHook {
  points: () => ChartPoint[];
  /** Whether the last option is fully drawn (ECharts' `finished`: animations over), so bars are where `points` says. */
  settled: () => boolean;
}

declare global {
  interface Window {
    __hexwatchCharts?: Record<string, ChartTestHook>;
  }
}

export function setChartTestHook(testId: string, hook: ChartTestHook | undefined): void {
  const hooks = (window.__hexwatchCharts ??= {});
  if (hook) hooks[testId] = hook;
  else delete hooks[testId];
}
