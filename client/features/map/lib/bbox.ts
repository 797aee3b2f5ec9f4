import type { Bbox } from '../../../lib/filters.js';

/**
 * Pads the visible box by a quarter on each side and snaps it outward to a grid of about an
 * eighth of its width, so that small pans reuse the cached response instead of refetching.
 */
export function snapBbox([west, south, east, north]: Bbox): Bbox {
  const padX = (east - west) / 4;
  const padY = (north - south) / 4;
  const step = gridStep(Math.max(east - west, north - south) / 8);
  const snap = (v: number, dir: 'down' | 'up') => +((dir === 'down' ? Math.floor(v / step) : Math.ceil(v / step)) * step).toFixed(6);
  return [
    Math.max(-180, snap(west - padX, 'down')),
    Math.max(-85, snap(south - padY, 'down')),
    Math.min(180, snap(east + padX, 'up')),
    Math.min(85, snap(north + padY, 'up')),
  ];
}

/** The power of ten (or half of one) just above `size` degrees. */
function gridStep(size: number): number {
  if (!(size > 0)) return 1;
  const power = 10 ** Math.ceil(Math.log10(size));
  return power / 2 >= size ? power / 2 : power;
}
