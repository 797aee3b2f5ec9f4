/**
 * The served H3 resolutions and the one the map asks for at a zoom. Apart from h3-cells.ts (which
 * re-exports them) because that module needs h3-js, and the browser's boot module
 * (client/boot/first-screen.ts) must stay light: it picks the first resolution before the map's
 * code, h3-js included, has loaded.
 */
export const MIN_RESOLUTION = 5;
export const MAX_RESOLUTION = 11;

/** The served resolutions, coarsest first. */
export const SERVED_RESOLUTIONS = [5, 6, 7, 8, 9, 10, 11] as const;

/**
 * The resolution the map asks `map.hexbins` for at a web-map zoom (../DESIGN.md "Hexbins"): 6 at
 * zoom <= 8, 7 at 9-10, 8 at 11, 9 at 12-13, 10 at 14, 11 from 15. Always within
 * MIN_RESOLUTION..MAX_RESOLUTION, the bounds of ResolutionSchema (./filters.ts).
 */
export function zoomToResolution(zoom: number): number {
  const z = Math.floor(zoom);
  if (z <= 8) return 6;
  if (z <= 10) return 7;
  if (z === 11) return 8;
  if (z <= 13) return 9;
  if (z === 14) return 10;
  return MAX_RESOLUTION;
}
