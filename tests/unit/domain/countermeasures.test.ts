/**
 * The exact conditional Poisson rate test against published and independently computed values:
 * R's documented example `poisson.test(c(11, 6+8+7), c(800, 1083+1050+878))` (p = 0.07967,
 * 95 % CI 0.8584264 .. 4.2772659, ratio 1.971488), SciPy 1.17 `binomtest(x, n, p0)` with
 * `proportion_ci(method='exact')` for the other rows, and exact rational sums (BigInt) by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  binomialTwoSidedP,
  comparePoissonRates,
  evaluateWindows,
  evaluationWindows,
  localDateToInstant,
  VERDICT_MEANING,
  verdictOf,
} from '../../../server/domain/countermeasures.js';

/** C(n, k) exactly. */
function choose(n: number, k: number): bigint {
  let c = 1n;
  for (let i = 0; i < k; i++) c = (c * BigInt(n - i)) / BigInt(i + 1);
  return c;
}

describe('comparePoissonRates', () => {
  // [after, baseAfter, before, baseBefore, pValue, ratio, ciLo, ciHi]
  const table: Array<[number, number, number, number, number, number | null, number, number | null]> = [
    // R's poisson.test documentation example (eba1977): Fredericia vs the other three cities, ages 55-59
    [11, 800, 21, 3011, 0.0796686330333295, 1.9714880952380953, 0.858426403391619, 4.277265943654079],
    // the planted countermeasure: 40 in 8 weeks before, 4 in 8 weeks after
    [4, 8, 40, 8, 1.7051434042514302e-8, 0.1, 0.025986621819544274, 0.2766282136256986],
    [20, 8, 20, 8, 1, 1, 0.5106146672095837, 1.9584239627600557],
    [30, 4, 60, 8, 1, 1, 0.6227183950218571, 1.5749356663897758],
    [10, 2, 10, 8, 0.00259482740067402, 4, 1.494187386797461, 10.708161600997917],
    [0, 8, 7, 8, 0.015625, 0, 0, 0.6938139800965825],
    [5, 8, 0, 8, 0.0625, null, 0.91635585731546, null],
    [9, 6, 3, 6, 0.14599609375, 3, 0.7486844501973376, 17.22800312690008],
    // per delivery: 40 in 2,000 deliveries before, 4 in 1,000 after
    [4, 1000, 40, 2000, 0.0003149645726865371, 0.2, 0.05197324363908855, 0.5532564272513972],
  ];
  it.each(table)('after %i/%d vs before %i/%d', (a, ta, b, tb, p, ratio, lo, hi) => {
    const t = comparePoissonRates({ count: b, base: tb }, { count: a, base: ta });
    expect(t.pValue).toBeCloseTo(p, 9);
    if (p < 1e-4) expect(t.pValue / p).toBeCloseTo(1, 6);
    if (ratio === null) expect(t.rateRatio).toBeNull();
    else expect(t.rateRatio).toBeCloseTo(ratio, 9);
    expect(t.ci95[0] / (lo || 1)).toBeCloseTo(lo ? 1 : 0, 6);
    if (hi === null) expect(t.ci95[1]).toBeNull();
    else expect(t.ci95[1]! / hi).toBeCloseTo(1, 6);
  });

  it('equals the exact binomial sum for 4 of 44 at p0 = 1/2', () => {
    // symmetric, so two-sided = 2 * P(X <= 4) = 2 * sum_{k<=4} C(44, k) / 2^44
    let s = 0n;
    for (let k = 0; k <= 4; k++) s += choose(44, k);
    const exact = Number(2n * s) / 2 ** 44;
    expect(exact).toBeCloseTo(1.7051434e-8, 14);
    expect(binomialTwoSidedP(4, 44, 0.5) / exact).toBeCloseTo(1, 9);
  });

  it('sums the outcomes no more likely than the observed one when p0 is not 1/2', () => {
    // x = 1 of n = 6 at p = 1/4 (m = 1.5): pmf(k) * 4^6 = C(6,k) 3^(6-k) = 729 1458 1215 540 135 18 1;
    // pmf(1) = 1458 and only k >= 2 with pmf <= 1458 count: 1215, 540, 135, 18, 1 -> all of them,
    // so p = (729 + 1458 + 1215 + 540 + 135 + 18 + 1) / 4096 = 1
    expect(binomialTwoSidedP(1, 6, 0.25)).toBeCloseTo(1, 12);
    // x = 4: pmf 135; k <= 1 with pmf <= 135: none -> p = P(X >= 4) = (135 + 18 + 1) / 4096
    expect(binomialTwoSidedP(4, 6, 0.25)).toBeCloseTo(154 / 4096, 12);
    // x = 0: pmf 729; k >= 2 with pmf <= 729: 540 135 18 1 (y = 4) -> p = (729 + 540 + 135 + 18 + 1) / 4096
    expect(binomialTwoSidedP(0, 6, 0.25)).toBeCloseTo(1423 / 4096, 12);
  });

  it('gives p = 1 and an unbounded interval with no incidents at all', () => {
    expect(comparePoissonRates({ count: 0, base: 8 }, { count: 0, base: 8 })).toEqual({
      rateRatio: null,
      ci95: [0, null],
      pValue: 1,
      expectedAfter: 0,
    });
  });

  it('rejects counts and bases it cannot test', () => {
    expect(() => comparePoissonRates({ count: -1, base: 8 }, { count: 0, base: 8 })).toThrow(/before.count/);
    expect(() => comparePoissonRates({ count: 1, base: 8 }, { count: 1.5, base: 8 })).toThrow(/after.count/);
    expect(() => comparePoissonRates({ count: 1, base: 0 }, { count: 1, base: 8 })).toThrow(/before.base/);
    expect(() => comparePoissonRates({ count: 1, base: 8 }, { count: 1, base: Number.NaN })).toThrow(/after.base/);
    expect(() => binomialTwoSidedP(3, 2, 0.5)).toThrow(/exceeds/);
    expect(() => binomialTwoSidedP(1, 2, 1)).toThrow(/strictly/);
  });
});

describe('evaluationWindows', () => {
  const start = new Date('2024-03-01T00:00:00Z');
  it('takes 8 weeks each side once 8 weeks have passed', () => {
    const w = evaluationWindows(start, new Date('2024-06-01T00:00:00Z'));
    expect(w.days).toBe(56);
    expect(w.before.from.toISOString()).toBe('2024-01-05T00:00:00.000Z');
    expect(w.before.to).toEqual(start);
    expect(w.after.to.toISOString()).toBe('2024-04-26T00:00:00.000Z');
  });
  it('shortens both to the whole days passed', () => {
    const w = evaluationWindows(start, new Date('2024-03-15T23:00:00Z'));
    expect(w.days).toBe(14);
    expect(w.before.from.toISOString()).toBe('2024-02-16T00:00:00.000Z');
    expect(w.after.to.toISOString()).toBe('2024-03-15T00:00:00.000Z');
  });
  it('gives empty windows for a start in the future', () => {
    expect(evaluationWindows(start, new Date('2024-02-01T00:00:00Z')).days).toBe(0);
  });
});

describe('verdicts', () => {
  it('judges effective, no_change, worse and too_early', () => {
    const eight = { weeks: 8 };
    expect(evaluateWindows({ incidents: 40, ...eight }, { incidents: 4, ...eight }, 56).verdict).toBe('effective');
    expect(evaluateWindows({ incidents: 20, ...eight }, { incidents: 20, ...eight }, 56).verdict).toBe('no_change');
    expect(evaluateWindows({ incidents: 4, ...eight }, { incidents: 40, ...eight }, 56).verdict).toBe('worse');
    expect(evaluateWindows({ incidents: 0, ...eight }, { incidents: 12, ...eight }, 56).verdict).toBe('worse');
    expect(evaluateWindows({ incidents: 40, weeks: 2 }, { incidents: 0, weeks: 2 }, 14).verdict).toBe('too_early');
    expect(evaluateWindows({ incidents: 0, weeks: 0 }, { incidents: 0, weeks: 0 }, 0)).toMatchObject({ verdict: 'too_early', pValue: 1 });
    // 27 days is still too early, 28 is not
    expect(verdictOf({ rateRatio: 0.1, pValue: 1e-6 }, 27)).toBe('too_early');
    expect(verdictOf({ rateRatio: 0.1, pValue: 1e-6 }, 28)).toBe('effective');
    expect(verdictOf({ rateRatio: 0.5, pValue: 0.05 }, 56)).toBe('no_change');
  });

  it('adjusts for exposure when both windows have it', () => {
    // the same 40 -> 20 drop in counts, but deliveries halved too: the rate per delivery is unchanged
    const e = evaluateWindows({ incidents: 40, weeks: 8, exposure: 20_000 }, { incidents: 20, weeks: 8, exposure: 10_000 }, 56);
    expect(e.basis).toBe('deliveries');
    expect(e.rateRatio).toBeCloseTo(1, 12);
    expect(e.verdict).toBe('no_change');
    // per week it would have looked effective
    const w = evaluateWindows({ incidents: 40, weeks: 8 }, { incidents: 20, weeks: 8 }, 56);
    expect(w.basis).toBe('weeks');
    expect(w.verdict).toBe('effective');
    // exposure on one side only: falls back to weeks
    expect(evaluateWindows({ incidents: 40, weeks: 8, exposure: 20_000 }, { incidents: 20, weeks: 8 }, 56).basis).toBe('weeks');
  });
});

describe('localDateToInstant', () => {
  it.each([
    ['2025-03-01', 'Asia/Shanghai', '2025-02-28T16:00:00.000Z'],
    ['2025-03-01', 'UTC', '2025-03-01T00:00:00.000Z'],
    ['2025-12-31', 'Asia/Hong_Kong', '2025-12-30T16:00:00.000Z'],
    // New York: the DST days themselves (clocks change at 02:00, after midnight)
    ['2025-03-09', 'America/New_York', '2025-03-09T05:00:00.000Z'],
    ['2025-11-02', 'America/New_York', '2025-11-02T04:00:00.000Z'],
    // Sydney goes to +11 at 02:00 on 5 Oct 2025: midnight is still +10, though 00:00 UTC that day is +11
    ['2025-10-05', 'Australia/Sydney', '2025-10-04T14:00:00.000Z'],
    ['2025-10-06', 'Australia/Sydney', '2025-10-05T13:00:00.000Z'],
  ])('%s begins in %s at %s', (date, tz, iso) => {
    expect(localDateToInstant(date, tz).toISOString()).toBe(iso);
  });

  it.each(['2025-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-3-01', '25-03-01', 'x2025-03-01', '2025-03-01x', '2025-03-01T00:00', ''])(
    'refuses %j, quoting it',
    (date) => {
      expect(() => localDateToInstant(date, 'UTC')).toThrow(RangeError);
      expect(() => localDateToInstant(date, 'UTC')).toThrow(`"${date}" is not a YYYY-MM-DD date`);
    },
  );

  it('takes a leap day in a leap year', () => {
    expect(localDateToInstant('2024-02-29', 'UTC').toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });
});

describe('the edges of the test and the windows', () => {
  it('handles an observed count at either end of the range (R: binom.test(0, 1, 0.9) and (6, 6, 0.25))', () => {
    // x = 0 of 1 at p = 0.9: only the outcome itself is as unlikely, p = 0.1
    expect(binomialTwoSidedP(0, 1, 0.9)).toBeCloseTo(0.1, 12);
    // x = 6 of 6 at p = 1/4: pmf 1/4096, every outcome below the mean is likelier
    expect(binomialTwoSidedP(6, 6, 0.25)).toBeCloseTo(1 / 4096, 15);
    expect(binomialTwoSidedP(0, 0, 0.3)).toBe(1);
    expect(() => binomialTwoSidedP(1, 2, 0)).toThrow('p 0 must lie strictly between 0 and 1');
    expect(() => binomialTwoSidedP(-1, 2, 0.5)).toThrow('x -1 must be a non-negative integer');
    expect(() => binomialTwoSidedP(1, 2.5, 0.5)).toThrow('n 2.5 must be a non-negative integer');
    expect(() => comparePoissonRates({ count: 1, base: -2 }, { count: 1, base: 8 })).toThrow('before.base -2 must be a positive number');
    expect(() => comparePoissonRates({ count: 1, base: 8 }, { count: 1, base: Number.POSITIVE_INFINITY })).toThrow(/after.base/);
  });

  it('gives the expected after-count under equal rates: n * baseAfter / (baseAfter + baseBefore)', () => {
    expect(comparePoissonRates({ count: 30, base: 2 }, { count: 10, base: 6 }).expectedAfter).toBeCloseTo(30, 12);
    expect(comparePoissonRates({ count: 40, base: 8 }, { count: 4, base: 8 }).expectedAfter).toBeCloseTo(22, 12);
  });

  it('takes another window length, and refuses one that is not a positive whole number of days', () => {
    const start = new Date('2024-03-01T00:00:00Z');
    const w = evaluationWindows(start, new Date('2024-06-01T00:00:00Z'), 28);
    expect(w.days).toBe(28);
    expect(w.before.from.toISOString()).toBe('2024-02-02T00:00:00.000Z');
    expect(w.after).toEqual({ from: start, to: new Date('2024-03-29T00:00:00Z') });
    expect(evaluationWindows(start, new Date('2024-03-01T23:59:59Z')).days).toBe(0);
    expect(evaluationWindows(start, new Date('2024-03-02T00:00:00Z')).days).toBe(1);
    expect(() => evaluationWindows(start, start, 0)).toThrow('windowDays 0 must be a positive integer');
    expect(() => evaluationWindows(start, start, 1.5)).toThrow(RangeError);
  });

  it('explains each verdict in words that match the rule (p < 0.05, 4 weeks)', () => {
    expect(VERDICT_MEANING.effective).toMatch(/lower.*significant.*p < 0\.05/);
    expect(VERDICT_MEANING.worse).toMatch(/higher.*significant.*p < 0\.05/);
    expect(VERDICT_MEANING.no_change).toMatch(/^No significant difference/);
    expect(VERDICT_MEANING.too_early).toMatch(/^Fewer than 4 weeks/);
  });
});
