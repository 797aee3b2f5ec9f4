/**
 * How the countermeasure panel writes a before/after evaluation (client/features/countermeasures/lib/verdict.ts):
 * the rate ratio as a change in per cent, the ratio and its interval, the p-value, the verdict's colour.
 */
import { describe, expect, it } from 'vitest';
import { formatP, formatRatio, ratioAsChange, VERDICT_COLOR, verdictCss } from '../../../../../../client/features/countermeasures/lib/verdict.js';

describe('ratioAsChange', () => {
  it('writes the ratio as a signed change in whole per cent', () => {
    expect(ratioAsChange(0.1)).toBe('-90 %');
    expect(ratioAsChange(1.5)).toBe('+50 %');
    expect(ratioAsChange(1)).toBe('0 %');
    expect(ratioAsChange(0)).toBe('-100 %');
    expect(ratioAsChange(1.004)).toBe('0 %');
    expect(ratioAsChange(1.006)).toBe('+1 %');
    expect(ratioAsChange(3)).toBe('+200 %');
  });
  it('writes a dash when there is no ratio (no incidents before)', () => {
    expect(ratioAsChange(null)).toBe('–');
  });
});

describe('formatRatio', () => {
  it('gives two decimals below 10, one from 10, and infinity for an unbounded end', () => {
    expect(formatRatio(0.026)).toBe('0.03');
    expect(formatRatio(1)).toBe('1.00');
    expect(formatRatio(9.994)).toBe('9.99');
    expect(formatRatio(10)).toBe('10.0');
    expect(formatRatio(17.228)).toBe('17.2');
    expect(formatRatio(null)).toBe('∞');
  });
});

describe('formatP', () => {
  it('gives three decimals, and "< 0.001" below a thousandth', () => {
    expect(formatP(0.0796686)).toBe('0.080');
    expect(formatP(1)).toBe('1.000');
    expect(formatP(0.001)).toBe('0.001');
    expect(formatP(0.000999)).toBe('< 0.001');
    expect(formatP(1.7e-8)).toBe('< 0.001');
  });
});

describe('verdict colours', () => {
  it('draws effective green, worse red, no change grey and too early amber, opaque', () => {
    const [er, eg, eb] = VERDICT_COLOR.effective;
    expect(eg).toBeGreaterThan(er + 100);
    expect(eg).toBeGreaterThan(eb + 60);
    const [wr, wg, wb] = VERDICT_COLOR.worse;
    expect(wr).toBeGreaterThan(wg + 150);
    expect(wr).toBeGreaterThan(wb + 150);
    const [nr, ng, nb] = VERDICT_COLOR.no_change;
    expect(Math.max(nr, ng, nb) - Math.min(nr, ng, nb)).toBeLessThan(60);
    const [ar, ag, ab] = VERDICT_COLOR.too_early;
    expect(ar).toBeGreaterThan(ag);
    expect(ag).toBeGreaterThan(ab + 80);
    for (const c of Object.values(VERDICT_COLOR)) expect(c[3]).toBe(255);
    expect(new Set(Object.values(VERDICT_COLOR).map(String)).size).toBe(4);
  });
  it('writes the colour as CSS rgb()', () => {
    expect(verdictCss('effective')).toBe(`rgb(${VERDICT_COLOR.effective.slice(0, 3).join(', ')})`);
    expect(verdictCss('worse')).toMatch(/^rgb\(\d{1,3}, \d{1,3}, \d{1,3}\)$/);
    expect(verdictCss('worse')).not.toBe(verdictCss('effective'));
  });
});
