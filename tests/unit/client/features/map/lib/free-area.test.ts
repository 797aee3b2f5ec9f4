import { describe, expect, test } from 'vitest';
import { freeRect, panelPadding, panIntoFree } from '../../../../../../client/features/map/lib/free-area.js';

// The desktop layout at 1440 × 900 (styles.css): the map fills the window; the top bar, the
// side panel on the left (10..330 px), the cell panel on the right (1050..1430 px), the legend
// at the bottom left beside the side panel.
const MAP = { left: 0, top: 0, right: 1440, bottom: 900 };
const TOPBAR = { left: 10, top: 10, right: 1430, bottom: 52 };
const SIDE = { left: 10, top: 62, right: 330, bottom: 876 };
const PANEL = { left: 1050, top: 62, right: 1430, bottom: 876 };
const LEGEND = { left: 340, top: 700, right: 600, bottom: 876 };

describe('free area of the map', () => {
  test('tall panels claim the side they sit on, the top bar the top, the legend the bottom', () => {
    expect(panelPadding(MAP, [TOPBAR, SIDE, PANEL, LEGEND])).toEqual({ top: 52, left: 330, right: 390, bottom: 200 });
  });

  test('hidden panels (no area) and panels outside the map claim nothing', () => {
    const hidden = { left: 0, top: 0, right: 0, bottom: 0 };
    const outside = { left: 1500, top: 0, right: 1800, bottom: 900 };
    expect(panelPadding(MAP, [hidden, outside])).toEqual({ top: 0, right: 0, bottom: 0, left: 0 });
  });

  test('panels that leave no room give no padding', () => {
    const wide = { left: 0, top: 0, right: 1400, bottom: 900 };
    expect(panelPadding({ left: 0, top: 0, right: 1440, bottom: 900 }, [wide, { left: 1380, top: 0, right: 1440, bottom: 900 }])).toEqual({ top: 0, right: 0, bottom: 0, left: 0 });
  });

  test('a map that does not start at the page origin: padding is relative to the map', () => {
    const map = { left: 100, top: 50, right: 1100, bottom: 850 };
    expect(panelPadding(map, [{ left: 110, top: 60, right: 400, bottom: 840 }])).toEqual({ top: 0, right: 0, bottom: 0, left: 300 });
    expect(freeRect(map, { top: 0, right: 0, bottom: 0, left: 300 })).toEqual({ left: 400, top: 50, right: 1100, bottom: 850 });
  });

  test('a point under the right panel is panned to the centre of the free area', () => {
    // free area: x 330..1050, y 52..700 → centre (690, 376)
    expect(panIntoFree([1200, 400], MAP, [TOPBAR, SIDE, PANEL, LEGEND])).toEqual([1200 - 690, 400 - 376]);
  });

  test('a point in the free area stays where it is; one near its edge is moved in', () => {
    expect(panIntoFree([700, 400], MAP, [TOPBAR, SIDE, PANEL, LEGEND])).toBeNull();
    expect(panIntoFree([1040, 400], MAP, [TOPBAR, SIDE, PANEL, LEGEND])).not.toBeNull();
  });

  test('after the pan, the point lies outside every panel', () => {
    const panels = [TOPBAR, SIDE, PANEL, LEGEND];
    for (const point of [[1200, 400], [100, 300], [450, 800], [700, 20]] as const) {
      const pan = panIntoFree(point, MAP, panels) ?? [0, 0];
      const [x, y] = [point[0] - pan[0], point[1] - pan[1]];
      for (const p of panels) expect(x >= p.left && x <= p.right && y >= p.top && y <= p.bottom).toBe(false);
    }
  });
});
