/**
 * The box rule of hexbin queries (server/domain/hexbin-box.ts) against an oracle written here:
 * the hexagon ([lng, lat] ring from h3-js) clipped to the box by Sutherland-Hodgman keeps a point.
 */
import { cellToBoundary, cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import type { Bbox } from '../../../server/domain/filters.js';
import { cellInBbox, growBbox, readBbox } from '../../../server/domain/hexbin-box.js';

type P = [number, number];

function touches(cell: string, [west, south, east, north]: Bbox): boolean {
  let ring = cellToBoundary(cell, true).slice(0, -1) as P[];
  const edges: Array<[(p: P) => boolean, (a: P, b: P) => P]> = [
    [(p) => p[0] >= west, (a, b) => [west, a[1] + ((b[1] - a[1]) * (west - a[0])) / (b[0] - a[0])]],
    [(p) => p[0] <= east, (a, b) => [east, a[1] + ((b[1] - a[1]) * (east - a[0])) / (b[0] - a[0])]],
    [(p) => p[1] >= south, (a, b) => [a[0] + ((b[0] - a[0]) * (south - a[1])) / (b[1] - a[1]), south]],
    [(p) => p[1] <= north, (a, b) => [a[0] + ((b[0] - a[0]) * (north - a[1])) / (b[1] - a[1]), north]],
  ];
  for (const [inside, cut] of edges) {
    const out: P[] = [];
    ring.forEach((cur, k) => {
      const prev = ring[(k + ring.length - 1) % ring.length]!;
      if (inside(cur)) {
        if (!inside(prev)) out.push(cut(prev, cur));
        out.push(cur);
      } else if (inside(prev)) out.push(cut(prev, cur));
    });
    ring = out;
    if (!ring.length) return false;
  }
  return true;
}

describe('cellInBbox', () => {
  it('includes a hexagon whose centre is outside the box but which touches it', () => {
    const cell = latLngToCell(26.08, 119.29, 9);
    const [vLat, vLng] = cellToBoundary(cell)[0]!;
    const d = 0.0001;
    const box: Bbox = [vLng - d, vLat - d, vLng + d, vLat + d];
    const [cLat, cLng] = cellToLatLng(cell);
    expect(cLng < box[0] || cLng > box[2] || cLat < box[1] || cLat > box[3]).toBe(true);
    expect(cellInBbox(cell, box, 9)).toBe(true);
  });

  it('agrees with clipping for every cell around random boxes at several resolutions', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let inside = 0;
    let outside = 0;
    for (let k = 0; k < 25; k++) {
      const r = 6 + (k % 5);
      const [lat, lng] = [26.07 + (rnd() - 0.5) * 0.2, 119.3 + (rnd() - 0.5) * 0.2];
      const half = 0.002 + rnd() * 0.03;
      const box: Bbox = [lng - half, lat - half * (0.5 + rnd()), lng + half * (0.5 + rnd()), lat + half];
      for (const cell of gridDisk(latLngToCell(lat, lng, r), 3)) {
        const expected = touches(cell, box);
        expect(cellInBbox(cell, box, r), `${cell} ${JSON.stringify(box)}`).toBe(expected);
        if (expected) inside++;
        else outside++;
      }
    }
    expect(inside).toBeGreaterThan(40);
    expect(outside).toBeGreaterThan(40);
  });
});

describe('cellInBbox near a slanted edge', () => {
  it('leaves out a hexagon whose bounding box overlaps the box but whose slanted edge passes it by', () => {
    const cell = latLngToCell(26.08, 119.29, 9);
    const ring = cellToBoundary(cell, true).slice(0, -1) as P[]; // [lng, lat]
    const [cx, cy] = [ring.reduce((a, p) => a + p[0], 0) / ring.length, ring.reduce((a, p) => a + p[1], 0) / ring.length];
    let tested = 0;
    ring.forEach((a, k) => {
      const b = ring[(k + 1) % ring.length]!;
      if (Math.abs(b[0] - a[0]) < 1e-6 || Math.abs(b[1] - a[1]) < 1e-6) return; // only slanted edges
      // a tiny box just outside the edge's midpoint, in the corner of the hexagon's bounding box
      const [mx, my] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      const [ox, oy] = [mx - cx, my - cy];
      const len = Math.hypot(ox, oy);
      const [px, py] = [mx + (ox / len) * 0.0003, my + (oy / len) * 0.0003];
      const h = 0.00002;
      const box: Bbox = [px - h, py - h, px + h, py + h];
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      if (box[0] > Math.max(...xs) || box[2] < Math.min(...xs) || box[1] > Math.max(...ys) || box[3] < Math.min(...ys)) return;
      expect(touches(cell, box), `oracle, edge ${k}`).toBe(false);
      expect(cellInBbox(cell, box, 9), `edge ${k}`).toBe(false);
      tested++;
    });
    expect(tested).toBeGreaterThan(0);
  });
});

describe('cellInBbox across the antimeridian', () => {
  // Resolution-5 hexagons that straddle 180 degrees: h3-js gives part of the ring at +179.9x and
  // part at -179.9x. Figures below are read from the rings, in the plane unwrapped to 0..360.
  const westCentred = '855ba5c7fffffff'; // centre (10.035, -179.932); vertices at 179.9868 and 179.9989
  const eastCentred = '8571b44ffffffff'; // centre (8.974, 179.979); vertices at -179.9526 and -179.9406
  it('uses hexagons whose rings cross the line', () => {
    for (const cell of [westCentred, eastCentred]) {
      const lngs = cellToBoundary(cell).map(([, lng]) => lng);
      expect(Math.max(...lngs)).toBeGreaterThan(179.9);
      expect(Math.min(...lngs)).toBeLessThan(-179.9);
    }
  });

  it('includes a hexagon centred west of the line in a box just west of it', () => {
    // at lng -179.99 (unwrapped 180.01) the hexagon spans about lat 9.986 .. 10.084
    expect(cellInBbox(westCentred, [-180, 10.0, -179.99, 10.05], 5)).toBe(true);
    expect(cellInBbox(westCentred, [-180, 10.12, -179.99, 10.2], 5)).toBe(false);
  });

  it('includes a hexagon centred east of the line in a box just east of it', () => {
    // the centre (lng 179.979) is outside the box; the part beyond 180 reaches lng -179.94
    expect(cellInBbox(eastCentred, [179.99, 8.95, 180, 9.0], 5)).toBe(true);
    expect(cellInBbox(eastCentred, [179.99, 9.1, 180, 9.2], 5)).toBe(false);
  });
});

describe('growBbox and readBbox', () => {
  it('grows longitude by the degrees at the latitude farthest from the equator, south too, and stops at 89 degrees', () => {
    // a southern box: its farthest latitude is 2 degrees south, grown to 3
    const [w, , e] = growBbox([0, -2, 1, -1], 111.32);
    expect(w).toBeCloseTo(-1 / Math.cos((3 * Math.PI) / 180), 9);
    expect(e).toBeCloseTo(1 + 1 / Math.cos((3 * Math.PI) / 180), 9);
    // near the pole the longitude growth is that of 89 degrees (1 / cos 89 = 57.3), not unbounded
    const polar = growBbox([0, 88.5, 1, 88.9], 111.32);
    expect(polar[0]).toBeCloseTo(-1 / Math.cos((89 * Math.PI) / 180), 6);
    expect(polar[3]).toBeCloseTo(89.9, 9);
  });

  it('grows by km: 111.32 km per degree of latitude, more longitude degrees away from the equator, clamped', () => {
    const [w, s, e, n] = growBbox([0, 0, 1, 1], 111.32);
    expect(s).toBeCloseTo(-1, 9);
    expect(n).toBeCloseTo(2, 9);
    // longitude degrees at the box's farthest latitude (2 degrees): 1 / cos(2 deg)
    expect(w).toBeCloseTo(-1 / Math.cos((2 * Math.PI) / 180), 9);
    expect(e).toBeCloseTo(1 + 1 / Math.cos((2 * Math.PI) / 180), 9);
    expect(growBbox([-179.9, -89.9, 179.9, 89.9], 100)).toEqual([-180, -90, 180, 90]);
  });

  it('reads incidents from the box grown by two cell radii (four average edges)', () => {
    const box: Bbox = [119.2, 26.0, 119.4, 26.1];
    const grown = readBbox(box, 8);
    // resolution 8: average edge 0.53141401 km (h3 table), so 4 edges = 2.12565604 km
    expect(grown[1]).toBeCloseTo(26.0 - 2.12565604 / 111.32, 6);
    expect(grown[3]).toBeCloseTo(26.1 + 2.12565604 / 111.32, 6);
  });
});
