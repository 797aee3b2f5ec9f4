import { cellToLatLng, latLngToCell } from 'h3-js';
import { describe, expect, test } from 'vitest';
import { cellBounds } from '../../../../../../client/features/map/lib/cell-bounds.js';
import { emergingColor, emergingIndex, EMERGING_ORDER, giBinParts, giColor, hotspotResolution } from '../../../../../../client/features/map/lib/hotspot-scale.js';

describe('hot-spot scales', () => {
  test.each([
    [6, 6],
    [9, 9],
    [10, 9],
    [11, 9],
  ])('hexbin resolution %i gives hot-spot resolution %i', (hexbin, hotspot) => {
    expect(hotspotResolution(hexbin)).toBe(hotspot);
  });

  test.each([
    [3, { kind: 'hot', confidence: 99 }],
    [2, { kind: 'hot', confidence: 95 }],
    [1, { kind: 'hot', confidence: 90 }],
    [0, null],
    [-1, { kind: 'cold', confidence: 90 }],
    [-3, { kind: 'cold', confidence: 99 }],
  ] as const)('bin %i reads as %o', (bin, parts) => {
    expect(giBinParts(bin)).toEqual(parts);
  });

  test('hot bins are red, cold bins blue, not significant faint', () => {
    const [r3, , b3] = giColor(3);
    const [rm3, , bm3] = giColor(-3);
    expect(r3).toBeGreaterThan(b3);
    expect(bm3).toBeGreaterThan(rm3);
    expect(giColor(0)[3]).toBeLessThan(128);
  });

  test('every emerging class has its own colour; unknown classes read as no pattern', () => {
    const colours = new Set(EMERGING_ORDER.map((_, i) => emergingColor(i).join(',')));
    expect(colours.size).toBe(EMERGING_ORDER.length);
    expect(EMERGING_ORDER[emergingIndex('made_up')]).toBe('no_pattern');
  });
});

describe('cellBounds', () => {
  test.each(['8941b530a7bffff', latLngToCell(24.48, 118.09, 9), '891c0000003ffff'])('the box of %s holds its centre', (cell) => {
    const box = cellBounds(cell)!;
    const [lat, lng] = cellToLatLng(cell);
    expect(box[0]).toBeLessThan(lng);
    expect(box[2]).toBeGreaterThan(lng);
    expect(box[1]).toBeLessThan(lat);
    expect(box[3]).toBeGreaterThan(lat);
  });

  test('a string that is not a cell gives null', () => {
    expect(cellBounds('8941b530a7bfff0')).toBeNull();
  });
});
