/** The H3 resolution served for a map zoom (DESIGN.md "Hexbins"): about 6 at zoom <= 8 up to 11 at >= 15. */
export function zoomToResolution(zoom: number): number {
  const z = Math.floor(zoom);
  if (z <= 8) return 6;
  if (z <= 10) return 7;
  if (z === 11) return 8;
  if (z <= 13) return 9;
  if (z === 14) return 10;
  return 11;
}

/** Bounds the server accepts for `map.hexbins({resolution})`. */
export const MIN_RESOLUTION = 5;
export const MAX_RESOLUTION = 11;
