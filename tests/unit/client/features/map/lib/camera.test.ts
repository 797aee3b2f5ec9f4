import { describe, expect, test } from 'vitest';
import type { Bbox } from '../../../../../../client/lib/filters.js';
import { fitCamera, fitPadding, visibleBounds } from '../../../../../../client/features/map/lib/camera.js';

/** Web mercator's latitude limit and the latitude whose mercator y is a quarter of the world's (published values). */
const MAX_LAT = 85.05112878;
const QUARTER_LAT = 66.51326044;

describe('visibleBounds', () => {
  test('zoom 0 on a 512-pixel map shows the whole mercator world', () => {
    const [west, south, east, north] = visibleBounds({ lng: 0, lat: 0, zoom: 0 }, { width: 512, height: 512 });
    expect(west).toBeCloseTo(-180, 9);
    expect(east).toBeCloseTo(180, 9);
    expect(north).toBeCloseTo(MAX_LAT, 6);
    expect(south).toBeCloseTo(-MAX_LAT, 6);
  });

  test('zoom 1: half the world, up to the quarter latitude', () => {
    const [west, south, east, north] = visibleBounds({ lng: 0, lat: 0, zoom: 1 }, { width: 512, height: 512 });
    expect([west, east]).toEqual([-90, 90]);
    expect(north).toBeCloseTo(QUARTER_LAT, 6);
    expect(south).toBeCloseTo(-QUARTER_LAT, 6);
  });

  test('a wider map shows proportionally more longitude (1280 px at zoom 10: 1280 / (512 * 2^10) of 360 degrees)', () => {
    const [west, , east] = visibleBounds({ lng: 114.17, lat: 22.3, zoom: 10 }, { width: 1280, height: 800 });
    expect(east - west).toBeCloseTo((1280 / (512 * 1024)) * 360, 9);
    expect((east + west) / 2).toBeCloseTo(114.17, 9);
  });
});

describe('fitPadding', () => {
  test.each([
    [{ width: 1280, height: 800 }, { top: 80, bottom: 60, left: 360, right: 60 }],
    [{ width: 360, height: 740 }, { top: 70, bottom: 60, left: 30, right: 30 }],
    // no room for the panels' padding: 10 px all round
    [{ width: 300, height: 150 }, { top: 10, bottom: 10, left: 10, right: 10 }],
  ])('%o -> %o', (size, padding) => expect(fitPadding(size)).toEqual(padding));
});

describe('fitCamera', () => {
  const pxPerDegreeLng = (zoom: number) => (512 * 2 ** zoom) / 360;

  test('a wide box fills the width between the padding: its west edge 360 px from the left, its east edge 60 px from the right', () => {
    const size = { width: 1280, height: 800 };
    const box: Bbox = [113.8, 22.2, 114.5, 22.5];
    const camera = fitCamera(box, size, 22)!;
    const [west, , east] = visibleBounds(camera, size);
    expect((box[0] - west) * pxPerDegreeLng(camera.zoom)).toBeCloseTo(360, 6);
    expect((east - box[2]) * pxPerDegreeLng(camera.zoom)).toBeCloseTo(60, 6);
    // 0.7 degrees over 1280 - 420 px
    expect(camera.zoom).toBeCloseTo(Math.log2((860 / 0.7) * (360 / 512)), 9);
  });

  test('a tall box on a phone fills the height between the padding and is centred across', () => {
    const size = { width: 360, height: 740 };
    const box: Bbox = [114.1, 22.2, 114.2, 22.6];
    const camera = fitCamera(box, size, 22)!;
    const [west, south, east, north] = visibleBounds(camera, size);
    expect(south).toBeLessThan(box[1]);
    expect(north).toBeGreaterThan(box[3]);
    expect((box[0] - west) * pxPerDegreeLng(camera.zoom)).toBeCloseTo((east - box[2]) * pxPerDegreeLng(camera.zoom), 6);
    expect((box[0] - west) * pxPerDegreeLng(camera.zoom)).toBeGreaterThan(30);
  });

  test('a small box stops at the maximum zoom, centred on it', () => {
    const camera = fitCamera([114.17, 22.3, 114.171, 22.301], { width: 360, height: 740 }, 13)!;
    expect(camera.zoom).toBe(13);
    expect(camera.lng).toBeCloseTo(114.1705, 9);
  });
});
