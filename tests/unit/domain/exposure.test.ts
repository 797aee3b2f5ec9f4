/**
 * Empirical Bayes rates per 1,000 deliveries. The fitted values come from SciPy 1.17: Nelder-Mead
 * on the negative-binomial log-likelihood (gammaln, several starts), an optimiser and a likelihood
 * written independently of the profile-likelihood search under test.
 */
import { describe, expect, it } from 'vitest';
import { cellToChildren, cellToParent, gridDisk, latLngToCell } from 'h3-js';
import { cellRates, instantToLocalDay, smoothRates } from '../../../server/domain/exposure.js';

describe('smoothRates', () => {
  it('matches an independent maximum-likelihood fit, and keeps a tiny store below a busy risky one', () => {
    // a store with 3 deliveries and 1 accident, a busy store at 3 per 1,000, three ordinary ones
    const units = [
      { incidents: 1, deliveries: 3 },
      { incidents: 60, deliveries: 20_000 },
      { incidents: 10, deliveries: 10_000 },
      { incidents: 12, deliveries: 10_000 },
      { incidents: 8, deliveries: 10_000 },
    ];
    const { prior, rates } = smoothRates(units);
    expect(prior.mean).toBeCloseTo(1.6626911730784872, 4);
    expect(prior.variance).toBeCloseTo(0.678185250377105, 4);
    [2.0680446801471746, 2.853968624234778, 1.1304807940037447, 1.2911017289718068, 0.9698598590356825].forEach((v, i) =>
      expect(rates[i]!.smoothed).toBeCloseTo(v, 4),
    );
    expect(rates.map((r) => r.raw)).toEqual([1000 / 3, 3, 1, 1.2, 0.8]);
    // the tiny store's raw rate tops the list; smoothed, the busy risky store does
    expect(rates[0]!.raw).toBeGreaterThan(rates[1]!.raw);
    expect(rates[0]!.smoothed).toBeLessThan(rates[1]!.smoothed);
    expect(rates[0]!.weight).toBeLessThan(0.01);
    expect(rates[1]!.weight).toBeGreaterThan(0.85);
  });

  it('shrinks every store to the pooled rate when the rates differ no more than Poisson noise', () => {
    // SciPy's fit runs alpha to 1.6e8 (no spread): every smoothed rate is the pooled 81 / 28.3
    const { prior, rates } = smoothRates([
      { incidents: 2, deliveries: 800 },
      { incidents: 30, deliveries: 12_000 },
      { incidents: 14, deliveries: 4000 },
      { incidents: 5, deliveries: 3000 },
      { incidents: 9, deliveries: 2500 },
      { incidents: 21, deliveries: 6000 },
    ]);
    expect(prior.variance).toBeLessThan(1e-6);
    for (const r of rates) expect(r.smoothed).toBeCloseTo(81 / 28.3, 3);
  });

  it('has nothing to pool from with one store or no incidents', () => {
    expect(smoothRates([{ incidents: 3, deliveries: 1500 }]).rates).toEqual([{ raw: 2, smoothed: 2, weight: 1 }]);
    expect(smoothRates([{ incidents: 0, deliveries: 10 }, { incidents: 0, deliveries: 20 }]).rates.map((r) => r.smoothed)).toEqual([0, 0]);
    expect(smoothRates([])).toEqual({ prior: { mean: 0, variance: 0 }, rates: [] });
  });

  it('refuses counts and deliveries it cannot use, naming the unit', () => {
    expect(() => smoothRates([{ incidents: 1, deliveries: 0 }])).toThrow(/units\.0\.deliveries/);
    expect(() => smoothRates([{ incidents: 1, deliveries: 5 }, { incidents: -1, deliveries: 5 }])).toThrow(/units\.1\.incidents/);
  });
});

describe('cellRates', () => {
  const A = latLngToCell(26.08, 119.29, 8);
  const [B, C] = gridDisk(A, 1).filter((c) => c !== A);
  const X = latLngToCell(51.48, 0, 8); // another city

  it('sums a store\'s deliveries per cell, a finer cell in its parent, and leaves a coarser cell out', () => {
    const fine = cellToChildren(B!, 10)[5]!;
    const coarse = cellToParent(C!, 6);
    const got = cellRates(
      [
        { storeId: 1, cityId: 1, cell: A, deliveries: 600 },
        { storeId: 1, cityId: 1, cell: A, deliveries: 400 },
        { storeId: 1, cityId: 1, cell: fine, deliveries: 2000 },
        { storeId: 1, cityId: 1, cell: coarse, deliveries: 5000 },
      ],
      [
        { storeId: 1, cell: A, incidents: 3 },
        { storeId: 1, cell: B!, incidents: 4 },
      ],
      8,
    );
    expect(got.map((c) => [c.cell, c.deliveries, c.incidents, c.raw])).toEqual(
      [
        [A, 1000, 3, 3],
        [B, 2000, 4, 2],
      ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
    );
  });

  it('returns the cells ascending by id whatever the order of the rows, cities interleaved', () => {
    const cells = [A, B!, C!, X];
    const sorted = [...cells].sort();
    for (const order of [cells, [...cells].reverse(), [C!, X, A, B!]]) {
      const got = cellRates(
        // cities interleaved in id order: 1, 2, 1, 2 (one prior per city, the answer still in id order)
        order.map((cell, k) => ({ storeId: 1 + k, cityId: 1 + (sorted.indexOf(cell) % 2), cell, deliveries: 1000 * (k + 1) })),
        order.map((cell, k) => ({ storeId: 1 + k, cell, incidents: k })),
        8,
      );
      expect(got.map((c) => c.cell)).toEqual(sorted);
    }
  });

  it('counts only the incidents of the stores that reported deliveries in the cell', () => {
    const got = cellRates(
      [
        { storeId: 1, cityId: 1, cell: A, deliveries: 1000 },
        { storeId: 2, cityId: 1, cell: B!, deliveries: 1000 },
      ],
      [
        { storeId: 1, cell: A, incidents: 2 },
        { storeId: 2, cell: A, incidents: 7 }, // store 2 reported nothing in A
        { storeId: 2, cell: C!, incidents: 5 }, // nobody reported C
      ],
      8,
    );
    expect(Object.fromEntries(got.map((c) => [c.cell, c.incidents]))).toEqual({ [A]: 2, [B!]: 0 });
  });

  it('has no rate for a cell with 0 deliveries, and fits one prior per city', () => {
    const got = cellRates(
      [
        { storeId: 1, cityId: 1, cell: A, deliveries: 1000 },
        { storeId: 1, cityId: 1, cell: B!, deliveries: 4000 },
        { storeId: 1, cityId: 1, cell: C!, deliveries: 0 },
        { storeId: 9, cityId: 2, cell: X, deliveries: 500 },
      ],
      [
        { storeId: 1, cell: A, incidents: 9 },
        { storeId: 1, cell: B!, incidents: 1 },
        { storeId: 1, cell: C!, incidents: 1 },
        { storeId: 9, cell: X, incidents: 4 },
      ],
      8,
    );
    expect(got.map((c) => c.cell).sort()).toEqual([A, B!, X].sort());
    // a city of one cell keeps its raw rate: 4 / 0.5
    expect(got.find((c) => c.cell === X)).toMatchObject({ cityId: 2, raw: 8, smoothed: 8, weight: 1 });
    // the two cells of city 1 are shrunk towards each other, between their raw rates 9 and 0.25
    const [a, b] = [got.find((c) => c.cell === A)!, got.find((c) => c.cell === B!)!];
    expect(a.smoothed).toBeLessThanOrEqual(9);
    expect(b.smoothed).toBeGreaterThanOrEqual(0.25);
    expect(got.map((c) => c.cell)).toEqual([...got.map((c) => c.cell)].sort());
  });

  it('refuses an exposure cell that is not an H3 cell', () => {
    expect(() => cellRates([{ storeId: 1, cityId: 1, cell: 'zzz', deliveries: 1 }], [], 8)).toThrow(RangeError);
  });
});

describe('instantToLocalDay', () => {
  it('names the day of the city, not of UTC', () => {
    const at = new Date('2025-03-01T16:30:00Z');
    expect(instantToLocalDay(at, 'UTC')).toBe('2025-03-01');
    expect(instantToLocalDay(at, 'Asia/Shanghai')).toBe('2025-03-02');
    expect(instantToLocalDay(at, 'America/New_York')).toBe('2025-03-01');
    // asked again (a cached format per zone): the same answers, each zone its own
    expect(instantToLocalDay(at, 'Asia/Shanghai')).toBe('2025-03-02');
    expect(instantToLocalDay(new Date('2025-03-01T15:59:59Z'), 'Asia/Shanghai')).toBe('2025-03-01');
    expect(instantToLocalDay(new Date('2025-01-01T04:59:59Z'), 'America/New_York')).toBe('2024-12-31');
    expect(instantToLocalDay(new Date('2025-01-01T04:59:59Z'), 'UTC')).toBe('2025-01-01');
  });
});
