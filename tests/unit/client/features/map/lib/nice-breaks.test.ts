import { describe, expect, test } from 'vitest';
import { floor125, niceBreaks, niceLabels } from '../../../../../../client/features/map/lib/nice-breaks.js';

/** A deterministic pseudo-random generator (mulberry32), so the property cases repeat. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Skewed counts like a city's hexagons: many cells with 1–3 incidents, a few with hundreds. */
function skewedCounts(seed: number, cells: number): number[] {
  const next = random(seed);
  return Array.from({ length: cells }, () => Math.max(1, Math.round(Math.exp(next() * next() * 6.5))));
}

describe('nice breaks (1-2-5)', () => {
  test.each([
    [0, 1],
    [0.5, 1],
    [1, 1],
    [1.9, 1],
    [2, 2],
    [4.99, 2],
    [5, 5],
    [9, 5],
    [10, 10],
    [24, 20],
    [26, 20],
    [49, 20],
    [499, 200],
    [500, 500],
    [577, 500],
    [2000, 2000],
  ])('floor125(%d) = %d', (value, expected) => {
    expect(floor125(value)).toBe(expected);
  });

  test('skewed counts: quantiles at 40/65/82/93/98 % rounded down to 1-2-5 (worked by hand)', () => {
    // 361 cells sorted: indices 0–199 hold 1, 200–299 hold 3, 300–349 hold 12, 350–359 hold 80, 360 holds 400.
    // Quantile indices floor(share × 361): 144 → 1, 234 → 3 → 2, 296 → 3 → 2 (again), 335 → 12 → 10, 353 → 80 → 50.
    const counts = [...Array(200).fill(1), ...Array(100).fill(3), ...Array(50).fill(12), ...Array(10).fill(80), 400];
    expect(niceBreaks(counts)).toEqual([1, 2, 10, 50]);
    // Order does not matter, zeros are left out.
    expect(niceBreaks([0, 0, ...counts.slice().reverse()])).toEqual([1, 2, 10, 50]);
  });

  test('every break is a 1-2-5 number, at least twice the one before (no sliver such as 20–24)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const breaks = niceBreaks(skewedCounts(seed, 50 + seed * 20));
      expect(breaks[0]).toBe(1);
      for (const b of breaks) expect(String(b)).toMatch(/^[125]0*$/);
      for (let i = 1; i < breaks.length; i++) expect(breaks[i]!).toBeGreaterThanOrEqual(2 * breaks[i - 1]!);
      expect(breaks.length).toBeLessThanOrEqual(6);
    }
  });

  test('stable: a few cells more or less in view leave the breaks as they were', () => {
    const counts = skewedCounts(7, 600);
    const before = niceBreaks(counts);
    expect(before.length).toBeGreaterThanOrEqual(4);
    // Panning: some cells leave the view, a few others come in.
    const panned = [...counts.slice(15), 1, 2, 3, 1, 4, 2, 1, 1, 6, 2];
    expect(niceBreaks(panned)).toEqual(before);
    // One cell busier than all others changes nothing either (the top class is open).
    expect(niceBreaks([...counts, 5000])).toEqual(before);
  });

  test('a limit on the classes takes the lower quantiles only', () => {
    const counts = [...Array(200).fill(1), ...Array(100).fill(3), ...Array(50).fill(12), ...Array(10).fill(80), 400];
    expect(niceBreaks(counts, 3)).toEqual([1, 2]);
    expect(niceBreaks(counts, 1)).toEqual([1]);
  });

  test('no positive value gives no classes', () => {
    expect(niceBreaks([])).toEqual([]);
    expect(niceBreaks([0, 0, -1, Number.NaN])).toEqual([]);
  });

  test('labels cover every integer once and leave the top class open', () => {
    expect(niceLabels([1, 2, 5, 10])).toEqual(['1', '2–4', '5–9', '≥ 10']);
    expect(niceLabels([1, 5, 50, 500])).toEqual(['1–4', '5–49', '50–499', '≥ 500']);
    expect(niceLabels([1])).toEqual(['≥ 1']);
    expect(niceLabels([])).toEqual([]);
  });
});
