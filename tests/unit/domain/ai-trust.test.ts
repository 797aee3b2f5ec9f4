import { describe, expect, it } from 'vitest';
import { confirmRate, expectedValue, orderReviewQueue, suggestThreshold } from '../../../server/domain/ai-trust.js';

describe('confirmRate', () => {
  it('is confirmed over decided, null when nothing was decided', () => {
    expect(confirmRate(9, 1)).toBe(0.9);
    expect(confirmRate(0, 0)).toBeNull();
    expect(confirmRate(0, 3)).toBe(0);
  });
});

describe('orderReviewQueue', () => {
  it('puts likely-true severe detections first, ties oldest first', () => {
    const at = (d: number) => new Date(Date.UTC(2024, 0, d));
    const items = [
      { id: 1, severity: 1 as const, aiConfidence: 0.99, occurredAt: at(1) }, // 0.99
      { id: 2, severity: 4 as const, aiConfidence: 0.5, occurredAt: at(2) }, // 4
      { id: 3, severity: 3 as const, aiConfidence: 0.9, occurredAt: at(3) }, // 3.6
      { id: 4, severity: 4 as const, aiConfidence: 0.5, occurredAt: at(1) }, // 4, older than 2
      { id: 5, severity: 2 as const, aiConfidence: null, occurredAt: at(1) }, // 1 (null = 0.5)
    ];
    expect(orderReviewQueue(items).map((i) => i.id)).toEqual([4, 2, 3, 5, 1]);
    expect(expectedValue(0.9, 3)).toBeCloseTo(3.6, 12);
  });
});

describe('suggestThreshold', () => {
  it('finds the lowest confidence above which at least 95 % were confirmed', () => {
    // 40 at 0.9 (all confirmed), 20 at 0.8 (19 confirmed), 20 at 0.7 (10 confirmed)
    const decided = [
      ...Array.from({ length: 40 }, () => ({ confidence: 0.9, confirmed: true })),
      ...Array.from({ length: 20 }, (_, k) => ({ confidence: 0.8, confirmed: k > 0 })),
      ...Array.from({ length: 20 }, (_, k) => ({ confidence: 0.7, confirmed: k % 2 === 0 })),
    ];
    // >= 0.9: 40/40; >= 0.8: 59/60 = 0.983; >= 0.7: 69/80 = 0.8625
    expect(suggestThreshold(decided)).toEqual({ threshold: 0.8, samples: 60, confirmRate: 59 / 60 });
    // asking for 99 %: only 0.9 qualifies
    expect(suggestThreshold(decided, 0.99).threshold).toBe(0.9);
  });

  it('needs enough samples and answers null otherwise', () => {
    const few = Array.from({ length: 29 }, () => ({ confidence: 0.95, confirmed: true }));
    expect(suggestThreshold(few)).toEqual({ threshold: null, samples: 0, confirmRate: null });
    expect(suggestThreshold([])).toEqual({ threshold: null, samples: 0, confirmRate: null });
    expect(() => suggestThreshold([{ confidence: 1.2, confirmed: true }])).toThrow(/outside/);
  });
});
