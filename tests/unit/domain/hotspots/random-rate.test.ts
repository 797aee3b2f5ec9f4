import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { giStar } from '../../../../server/domain/hotspots/getis-ord.js';
import { emergingHotSpots } from '../../../../server/domain/hotspots/emerging.js';
import { prng } from '../../../support/random-incidents.js';

/** Uniform points over a ~14 x 14 km box (about 250 res-8 cells), counted per cell. */
function randomCounts(seed: number, points: number): Map<string, number> {
  const r = prng(seed);
  const counts = new Map<string, number>();
  for (let k = 0; k < points; k++) {
    const cell = latLngToCell(26.0 + r.next() * 0.13, 119.23 + r.next() * 0.14, 8);
    counts.set(cell, (counts.get(cell) ?? 0) + 1);
  }
  return counts;
}

describe('on spatially random data', () => {
  it('flags no cell at 99 % after FDR in most of 20 seeds (Gi*)', () => {
    const flaggedSeeds = Array.from({ length: 20 }, (_, seed) => giStar(randomCounts(1000 + seed, 2500))).filter((g) =>
      g.bin.some((b) => Math.abs(b) === 3),
    ).length;
    // BH at 1 % over ~250 tests: any false 99 % cell in more than 2 of 20 seeds would be suspect
    expect(flaggedSeeds).toBeLessThanOrEqual(2);
  });

  it('classifies almost no cell as an alerting class over 12 random weeks', () => {
    let alerting = 0;
    let cells = 0;
    for (let seed = 0; seed < 5; seed++) {
      const weeks = Array.from({ length: 12 }, (_, w) => randomCounts(seed * 100 + w, 600));
      const all = [...new Set(weeks.flatMap((m) => [...m.keys()]))];
      const result = emergingHotSpots({ cells: all, counts: weeks.map((m) => all.map((c) => m.get(c) ?? 0)) });
      cells += all.length;
      alerting += result.classes.filter((c) => c === 'new_hot' || c === 'consecutive_hot' || c === 'intensifying_hot').length;
    }
    // at 90 % with FDR per week, random noise should make well under 1 % of cells alert
    expect(alerting / cells).toBeLessThan(0.01);
  });
});
