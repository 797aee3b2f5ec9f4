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

describe('the edges of the rules', () => {
  it('orders equal value and time by id, and does not touch the input', () => {
    const at = new Date(Date.UTC(2024, 0, 1));
    const items = [
      { id: 9, severity: 2 as const, aiConfidence: 0.5, occurredAt: at },
      { id: 3, severity: 1 as const, aiConfidence: 1, occurredAt: at }, // 1, like id 9
      { id: 5, severity: 2 as const, aiConfidence: 0.5, occurredAt: at },
    ];
    expect(orderReviewQueue(items).map((i) => i.id)).toEqual([3, 5, 9]);
    expect(items.map((i) => i.id)).toEqual([9, 3, 5]);
    // a detection without a confidence counts as 0.5: severity 4 gives 4, severity 1 gives 0.5
    expect(expectedValue(null, 4)).toBe(4);
    expect(expectedValue(null, 1)).toBe(0.5);
    expect(expectedValue(0, 4)).toBe(0);
    expect(expectedValue(1, 2)).toBe(2);
  });

  it('takes exactly 30 samples and exactly the target rate', () => {
    const thirty = Array.from({ length: 30 }, () => ({ confidence: 0.9, confirmed: true }));
    expect(suggestThreshold(thirty)).toEqual({ threshold: 0.9, samples: 30, confirmRate: 1 });
    // 19 of 20 confirmed is exactly 95 %
    const exact = Array.from({ length: 20 }, (_, k) => ({ confidence: 0.6, confirmed: k > 0 }));
    expect(suggestThreshold(exact, 0.95, 20)).toEqual({ threshold: 0.6, samples: 20, confirmRate: 0.95 });
    expect(suggestThreshold(exact, 0.951, 20).threshold).toBeNull();
    expect(suggestThreshold(exact, 0.95, 21).threshold).toBeNull();
  });

  it('keeps the lowest threshold that qualifies, not the first found, and counts every tie at a threshold', () => {
    // 0.9: 30 confirmed; 0.5: 1 rejected then enough confirmed to stay above 95 %
    const decided = [
      { confidence: 0.5, confirmed: false },
      ...Array.from({ length: 30 }, () => ({ confidence: 0.9, confirmed: true })),
      ...Array.from({ length: 19 }, () => ({ confidence: 0.5, confirmed: true })),
    ];
    // >= 0.5: 49 of 50 = 0.98
    expect(suggestThreshold(decided)).toEqual({ threshold: 0.5, samples: 50, confirmRate: 0.98 });
  });

  it('accepts confidences 0 and 1 and refuses anything outside, naming it', () => {
    expect(suggestThreshold([{ confidence: 0, confirmed: false }, { confidence: 1, confirmed: true }], 0.6, 1)).toEqual({ threshold: 1, samples: 1, confirmRate: 1 });
    expect(() => suggestThreshold([{ confidence: -0.01, confirmed: true }])).toThrow('confidence -0.01 is outside 0..1');
    expect(() => suggestThreshold([{ confidence: Number.NaN, confirmed: true }])).toThrow(RangeError);
    expect(() => suggestThreshold([{ confidence: 1.01, confirmed: true }])).toThrow('confidence 1.01 is outside 0..1');
  });
});
