/**
 * The part of the map no panel covers (issue 19: the selected hexagon sat under the right
 * panel). Panels float over the map; each claims a band along one edge of the map, and the
 * map's padding is the bands' sizes: MapLibre then centres and fits into what is left. Pure:
 * rectangles in CSS pixels of the page in, padding and pans out.
 */

/** A rectangle in CSS pixels (as `getBoundingClientRect` gives it). */
export interface ScreenRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Padding in CSS pixels from each edge of the map (MapLibre's `PaddingOptions`). */
export interface Padding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

const NONE: Padding = { top: 0, right: 0, bottom: 0, left: 0 };

/** The free area must keep at least this much width and height (px), else no padding is used. */
export const MIN_FREE_PX = 80;

/**
 * The padding that keeps every panel out of the map's free area. A tall panel (at least half
 * the map's height: the side panel, the cell panel) claims a band at the nearer side edge; a
 * wide one (the top bar) at the nearer top or bottom edge; a small box (the legend) the edge
 * that costs the least room. Panels outside the map, or with no area (hidden), claim nothing.
 * When the panels leave less than `MIN_FREE_PX` either way, no padding (the map is all there is).
 */
export function panelPadding(map: ScreenRect, panels: readonly ScreenRect[]): Padding {
  const width = map.right - map.left;
  const height = map.bottom - map.top;
  const pad = { ...NONE };
  for (const raw of panels) {
    const p = { left: Math.max(raw.left, map.left), top: Math.max(raw.top, map.top), right: Math.min(raw.right, map.right), bottom: Math.min(raw.bottom, map.bottom) };
    if (p.right <= p.left || p.bottom <= p.top) continue;
    const claims: Padding = {
      left: p.right - map.left,
      right: map.right - p.left,
      top: p.bottom - map.top,
      bottom: map.bottom - p.top,
    };
    const tall = p.bottom - p.top >= height / 2;
    const wide = p.right - p.left >= width / 2;
    let side: keyof Padding;
    if (tall && !wide) side = claims.left <= claims.right ? 'left' : 'right';
    else if (wide && !tall) side = claims.top <= claims.bottom ? 'top' : 'bottom';
    else side = (Object.keys(claims) as Array<keyof Padding>).reduce((best, k) => (claims[k] < claims[best] ? k : best));
    pad[side] = Math.max(pad[side], claims[side]);
  }
  if (width - pad.left - pad.right < MIN_FREE_PX || height - pad.top - pad.bottom < MIN_FREE_PX) return { ...NONE };
  return pad;
}

/** The free area of the map (page pixels) for a padding. */
export function freeRect(map: ScreenRect, pad: Padding): ScreenRect {
  return { left: map.left + pad.left, top: map.top + pad.top, right: map.right - pad.right, bottom: map.bottom - pad.bottom };
}

/**
 * How far to pan (page pixels, MapLibre's `panBy` sign: positive moves the view right/down, the
 * content left/up) so that `point` sits at the centre of the free area; null when it already
 * lies in the free area at least `marginPx` from its edges (the map does not move then).
 */
export function panIntoFree(point: readonly [x: number, y: number], map: ScreenRect, panels: readonly ScreenRect[], marginPx = 24): [dx: number, dy: number] | null {
  const free = freeRect(map, panelPadding(map, panels));
  const [x, y] = point;
  const inside = x >= free.left + marginPx && x <= free.right - marginPx && y >= free.top + marginPx && y <= free.bottom - marginPx;
  if (inside) return null;
  return [x - (free.left + free.right) / 2, y - (free.top + free.bottom) / 2];
}
