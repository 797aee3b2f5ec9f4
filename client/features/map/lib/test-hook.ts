/**
 * `window.__hexwatch`: what the browser tests read instead of guessing from pixels alone.
 * Written by the map component only; harmless in production (no secrets, read-only facts).
 */
export interface HexwatchTestHook {
  /** Hexagons in the layer at the last deck.gl draw. */
  drawnCells: number;
  /** H3 resolution of the drawn hexagons (null before the first answer). */
  resolution: number | null;
  /** Whether a hexbins request is in flight (the drawn cells may be about to change). */
  loading: boolean;
  /** Number of deck.gl draws so far. */
  draws: number;
  /** `performance.now()` (ms since navigation) of the first draw with hexagons; null before it. */
  firstHexagonsMs: number | null;
  /** The basemap kind on screen (`offline` after a fallback). */
  basemap: string;
  /** What the hexagons show: `hexbins`, `gi` or `emerging`. */
  mode: string;
  /** Cells drawn as outlines (countermeasures). */
  outlines: string[];
  /**
   * Drawn cells with their counts and open counts (0 in the hot-spot modes) and the value
   * they are coloured by (the metric; the Gi* bin; the emerging class's index), most incidents first.
   */
  cells: () => Array<{ cell: string; count: number; open: number; value: number }>;
  /** Screen position (CSS pixels relative to the map container) of a cell's centre. */
  cellToScreen: (cell: string) => [x: number, y: number] | null;
  /** Current map view (WGS-84). */
  view: () => { lat: number; lng: number; zoom: number };
  /** Whether the map is idle (style and tiles loaded, no camera animation). */
  idle: () => boolean;
}

declare global {
  interface Window {
    __hexwatch?: HexwatchTestHook;
  }
}

export function setTestHook(hook: HexwatchTestHook | undefined): void {
  window.__hexwatch = hook;
}
