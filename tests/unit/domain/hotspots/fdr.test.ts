import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../../../server/domain/hotspots/fdr.js';

describe('benjaminiHochberg', () => {
  it('matches R p.adjust(method = "BH")', () => {
    // p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "BH") -> all 0.05 (p_i * 5 / i = 0.05 for each)
    expect(benjaminiHochberg([0.01, 0.02, 0.03, 0.04, 0.05]).map((q) => +q.toFixed(10))).toEqual([0.05, 0.05, 0.05, 0.05, 0.05]);
    // by hand: p_i * 8 / i = .04 .036 .050667 .044 .0816 .134667 .412571 .387, then the running
    // minimum from the largest p down: .036 .036 .044 .044 .0816 .134667 .387 .387
    const q = benjaminiHochberg([0.005, 0.009, 0.019, 0.022, 0.051, 0.101, 0.361, 0.387]);
    [0.036, 0.036, 0.044, 0.044, 0.0816, 0.134667, 0.387, 0.387].forEach((expected, i) => expect(q[i]).toBeCloseTo(expected, 6));
  });

  it('keeps input order and caps at 1', () => {
    const q = benjaminiHochberg([0.9, 0.001, 0.5]);
    // sorted: .001 (*3/1 = .003), .5 (*3/2 = .75), .9 (*3/3 = .9)
    expect(q).toEqual([0.9, 0.003, 0.75]);
    expect(benjaminiHochberg([1, 1])).toEqual([1, 1]);
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it('rejects p-values outside [0, 1]', () => {
    expect(() => benjaminiHochberg([0.2, 1.5])).toThrow(RangeError);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(/outside/);
  });
});
