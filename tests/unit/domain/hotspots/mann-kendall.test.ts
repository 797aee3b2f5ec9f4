import { describe, expect, it } from 'vitest';
import { mannKendall } from '../../../../server/domain/hotspots/mann-kendall.js';

describe('mannKendall', () => {
  it('matches the published result for the series 1..100 (MannKendall.jl and pymannkendall)', () => {
    const r = mannKendall(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(r.s).toBe(4950);
    expect(r.varS).toBe(112750);
    expect(r.z).toBeCloseTo(14.73869998208331, 10);
    expect(r.tau).toBe(1);
    expect(r.p).toBeLessThan(1e-40);
  });

  it('corrects the variance for ties: Gilbert (1987), p. 212, Z about 3.1', () => {
    // Gilbert, Statistical Methods for Environmental Pollution Monitoring, ch. 16 example (22 values, many ties)
    const ts = [20, 20, 20, 20, 15, 20, 20, 30, 27, 26, 23, 35, 25, 28, 70, 26, 24, 34, 32, 23, 50, 30];
    const r = mannKendall(ts);
    // ties: 20 x6, 30 x2, 26 x2, 23 x2 -> sum t(t-1)(2t+5) = 6*5*17 + 3 * (2*1*9) = 510 + 54 = 564
    // varS = (22*21*49 - 564) / 18 = (22638 - 564) / 18 = 1226.333...
    expect(r.varS).toBeCloseTo(1226.3333, 3);
    // S counted pair by pair (an independent double loop in Python): 111
    expect(r.s).toBe(111);
    expect(r.z).toBeCloseTo((111 - 1) / Math.sqrt(1226.3333), 6);
    // Gilbert reports Z = 3.1 to one decimal
    expect(Math.abs(r.z - 3.1)).toBeLessThan(0.05);
  });

  it('is symmetric for a decreasing series and zero for a flat one', () => {
    const down = mannKendall([5, 4, 3, 2, 1]);
    // n = 5: varS = 5*4*15/18 = 16.667, S = -10, Z = (-10 + 1)/4.0825 = -2.2045, p = 0.0275
    expect(down.s).toBe(-10);
    expect(down.z).toBeCloseTo(-2.204541, 5);
    expect(down.p).toBeCloseTo(0.027486, 5);
    const flat = mannKendall([2, 2, 2, 2]);
    expect(flat).toMatchObject({ s: 0, varS: 0, z: 0, p: 1 });
    expect(mannKendall([]).p).toBe(1);
  });
});
