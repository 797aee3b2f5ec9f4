import { describe, expect, test } from 'vitest';
import type { Bbox } from '../../../../../../client/lib/filters.js';
import { snapBbox } from '../../../../../../client/features/map/lib/bbox.js';
import { ResolutionSchema } from '../../../../../../server/domain/filters.js';
import { MAX_RESOLUTION, MIN_RESOLUTION, zoomToResolution } from '../../../../../../server/domain/h3-cells.js';

describe('resolution from zoom', () => {
  test.each([
    [3, 6],
    [8, 6],
    [8.99, 6],
    [9, 7],
    [10.5, 7],
    [11, 8],
    [12, 9],
    [13.9, 9],
    [14, 10],
    [15, 11],
    [22, 11],
  ])('zoom %d -> resolution %d', (zoom, resolution) => {
    expect(zoomToResolution(zoom)).toBe(resolution);
  });

  test('every zoom gets a resolution the server serves, never falling as the zoom rises', () => {
    let last = 0;
    for (let z = 0; z <= 22; z += 0.25) {
      const r = zoomToResolution(z);
      expect(r).toBeGreaterThanOrEqual(MIN_RESOLUTION);
      expect(r).toBeLessThanOrEqual(MAX_RESOLUTION);
      expect(ResolutionSchema.safeParse(r).success).toBe(true);
      expect(r).toBeGreaterThanOrEqual(last);
      last = r;
    }
  });
});

describe('bbox snapping', () => {
  const view: Bbox = [119.2123, 26.0311, 119.4177, 26.1502];

  test('the snapped box covers the view with room to pan', () => {
    const [w, s, e, n] = snapBbox(view);
    expect(w).toBeLessThan(view[0]);
    expect(s).toBeLessThan(view[1]);
    expect(e).toBeGreaterThan(view[2]);
    expect(n).toBeGreaterThan(view[3]);
  });

  test('a small pan gives the same box (the same query key, no refetch)', () => {
    const shift = 0.004;
    const moved: Bbox = [view[0] + shift, view[1] + shift, view[2] + shift, view[3] + shift];
    expect(snapBbox(moved)).toEqual(snapBbox(view));
  });

  test('a large pan gives another box', () => {
    const moved: Bbox = [view[0] + 0.3, view[1], view[2] + 0.3, view[3]];
    expect(snapBbox(moved)).not.toEqual(snapBbox(view));
  });

  test('the box stays inside the bounds the server accepts', () => {
    const [w, s, e, n] = snapBbox([-179.9, -84.9, 179.9, 84.9]);
    expect(w).toBeGreaterThanOrEqual(-180);
    expect(s).toBeGreaterThanOrEqual(-85);
    expect(e).toBeLessThanOrEqual(180);
    expect(n).toBeLessThanOrEqual(85);
  });
});
