/**
 * Countermeasures and their before/after evaluation (../../DESIGN.md "Beyond the map"). Pure:
 * no SQL, no tRPC.
 *
 * The test is the exact conditional test of two Poisson rates (Przyborowski and Wilenski 1940;
 * R's `poisson.test(c(after, before), c(baseAfter, baseBefore))`): given the total n = a + b of
 * incidents in both windows, the after-count is Binomial(n, p0) with
 * p0 = baseAfter / (baseAfter + baseBefore) when the rates are equal. The base is the window's
 * deliveries when both windows have exposure, otherwise its length in weeks. The two-sided
 * p-value sums the outcomes no more likely than the one observed (R's binom.test); the 95 %
 * interval of the rate ratio maps the Clopper-Pearson interval of the binomial proportion p
 * through p / (1 - p) * baseBefore / baseAfter.
 */
import betaDists from '@stdlib/stats-base-dists-beta';
import binomialDists from '@stdlib/stats-base-dists-binomial';
import { zoneOffsetMs } from './closure.js';

export { COUNTERMEASURE_KINDS } from './countermeasure-vocabulary.js';
export type { CountermeasureKind } from './countermeasure-vocabulary.js';

export const VERDICTS = ['effective', 'no_change', 'worse', 'too_early'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What each verdict means, in the words the panel and the README use. */
export const VERDICT_MEANING: Record<Verdict, string> = {
  effective: 'The rate after the start is lower than before, and the drop is significant (two-sided p < 0.05).',
  no_change: 'No significant difference between the rates before and after the start.',
  worse: 'The rate after the start is higher than before, and the rise is significant (two-sided p < 0.05).',
  too_early: 'Fewer than 4 weeks have passed since the start: too little to judge.',
};

/** Each window's default length: 8 weeks before the start and 8 weeks after it. */
export const WINDOW_DAYS = 56;
/** An after-window shorter than this (4 weeks) gives `too_early`. */
export const MIN_AFTER_DAYS = 28;
/** Two-sided significance level of the verdict. */
export const ALPHA = 0.05;

const DAY_MS = 86_400_000;
/** R's binom.test tolerance when it compares the probabilities of outcomes. */
const REL_ERR = 1 + 1e-7;

export interface EvaluationWindows {
  /** [from, to): the days before the start. */
  before: { from: Date; to: Date };
  /** [from, to): the days from the start on. */
  after: { from: Date; to: Date };
  /** Whole days in each window (the two are equal). */
  days: number;
}

/**
 * Equal windows before and after `start`: `windowDays` each, or both shorter (whole days) when
 * fewer days have passed since the start. A start in the future gives windows of 0 days.
 */
export function evaluationWindows(start: Date, now: Date, windowDays = WINDOW_DAYS): EvaluationWindows {
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new RangeError(`windowDays ${windowDays} must be a positive integer`);
  const passed = Math.max(0, Math.floor((now.getTime() - start.getTime()) / DAY_MS));
  const days = Math.min(windowDays, passed);
  const s = start.getTime();
  return {
    before: { from: new Date(s - days * DAY_MS), to: new Date(s) },
    after: { from: new Date(s), to: new Date(s + days * DAY_MS) },
    days,
  };
}

export interface PoissonRateTest {
  /** (after / baseAfter) / (before / baseBefore); null when there were no incidents before. */
  rateRatio: number | null;
  /** 95 % interval of the ratio; the upper end is null (unbounded) when there were none before. */
  ci95: [number, number | null];
  /** Two-sided exact p-value (1 when there were no incidents at all). */
  pValue: number;
  /** The after-count expected under equal rates: n * p0. */
  expectedAfter: number;
}

function assertCount(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} ${v} must be a non-negative integer`);
}
function assertBase(name: string, v: number): void {
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} ${v} must be a positive number`);
}

/** P(X > k) for X ~ Binomial(n, p), computed as a lower tail so that tiny tails keep their digits. */
function upperTail(k: number, n: number, p: number): number {
  if (k < 0) return 1;
  if (k >= n) return 0;
  // X > k  <=>  n - X < n - k, and n - X ~ Binomial(n, 1 - p)
  return binomialDists.cdf(n - k - 1, n, 1 - p);
}

/**
 * Two-sided p-value of `x` successes in `n` trials against probability `p`, as R's binom.test:
 * the probability of every outcome no more likely than the observed one.
 */
export function binomialTwoSidedP(x: number, n: number, p: number): number {
  assertCount('x', x);
  assertCount('n', n);
  if (x > n) throw new RangeError(`x ${x} exceeds n ${n}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`p ${p} must lie strictly between 0 and 1`);
  if (n === 0) return 1;
  const pmf = (k: number) => binomialDists.pmf(k, n, p);
  const d = pmf(x);
  const m = n * p;
  if (x === m) return 1;
  let y = 0;
  let pValue: number;
  if (x < m) {
    for (let k = Math.ceil(m); k <= n; k++) if (pmf(k) <= d * REL_ERR) y++;
    pValue = binomialDists.cdf(x, n, p) + upperTail(n - y, n, p);
  } else {
    for (let k = 0; k <= Math.floor(m); k++) if (pmf(k) <= d * REL_ERR) y++;
    pValue = (y > 0 ? binomialDists.cdf(y - 1, n, p) : 0) + upperTail(x - 1, n, p);
  }
  return Math.min(1, pValue);
}

/**
 * The exact conditional test of two Poisson rates.
 * @param before incidents and base (weeks or deliveries) before the start
 * @param after incidents and base in the same unit after the start
 * @throws RangeError for a negative or fractional count or a base that is not positive
 */
export function comparePoissonRates(
  before: { count: number; base: number },
  after: { count: number; base: number },
  confLevel = 0.95,
): PoissonRateTest {
  assertCount('before.count', before.count);
  assertCount('after.count', after.count);
  assertBase('before.base', before.base);
  assertBase('after.base', after.base);
  const n = before.count + after.count;
  const x = after.count;
  const p0 = after.base / (after.base + before.base);
  const odds = (p: number): number | null => (p >= 1 ? null : (p / (1 - p)) * (before.base / after.base));
  const tail = (1 - confLevel) / 2;
  // Clopper-Pearson: beta quantiles of the proportion after / total
  const pLo = x === 0 ? 0 : betaDists.quantile(tail, x, n - x + 1);
  const pHi = x === n ? 1 : betaDists.quantile(1 - tail, x + 1, n - x);
  return {
    rateRatio: before.count === 0 ? null : after.count / after.base / (before.count / before.base),
    ci95: n === 0 ? [0, null] : [odds(pLo)!, odds(pHi)],
    pValue: binomialTwoSidedP(x, n, p0),
    expectedAfter: n * p0,
  };
}

export interface WindowFigures {
  incidents: number;
  weeks: number;
  /** Deliveries in the window, when exposure was recorded for it. */
  exposure?: number;
}

export interface CountermeasureEvaluation {
  before: WindowFigures;
  after: WindowFigures;
  /** What the rates are per: deliveries when both windows have exposure, weeks otherwise. */
  basis: 'deliveries' | 'weeks';
  rateRatio: number | null;
  ci95: [number, number | null];
  pValue: number;
  verdict: Verdict;
}

/** The verdict of a test over an after-window of `afterDays`. */
export function verdictOf(test: Pick<PoissonRateTest, 'rateRatio' | 'pValue'>, afterDays: number): Verdict {
  if (afterDays < MIN_AFTER_DAYS) return 'too_early';
  if (test.pValue >= ALPHA) return 'no_change';
  // significant with no incidents before: the rate went up from zero
  return test.rateRatio === null || test.rateRatio > 1 ? 'worse' : 'effective';
}

/**
 * Compares the windows' incident rates: per delivery when both have exposure (> 0), per week
 * otherwise. With windows of 0 days (a start today or later) the verdict is `too_early` and the
 * test is not run (p = 1, no ratio).
 */
export function evaluateWindows(before: WindowFigures, after: WindowFigures, afterDays: number): CountermeasureEvaluation {
  const basis = before.exposure && after.exposure ? 'deliveries' : 'weeks';
  const base = (w: WindowFigures) => (basis === 'deliveries' ? w.exposure! : w.weeks);
  if (!(base(before) > 0 && base(after) > 0)) {
    return { before, after, basis, rateRatio: null, ci95: [0, null], pValue: 1, verdict: 'too_early' };
  }
  const test = comparePoissonRates({ count: before.incidents, base: base(before) }, { count: after.incidents, base: base(after) });
  return { before, after, basis, rateRatio: test.rateRatio, ci95: test.ci95, pValue: test.pValue, verdict: verdictOf(test, afterDays) };
}

/**
 * The instant a `YYYY-MM-DD` day begins in the IANA zone `tz` (local midnight): a countermeasure
 * starting on a day starts at the city's midnight, not UTC's.
 * @throws RangeError for a malformed or impossible date
 */
export function localDateToInstant(date: string, tz: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const wall = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || new Date(wall).toISOString().slice(0, 10) !== date) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  // the offset at the guess may differ from the one at the answer across a DST change: look twice
  const guess = wall - zoneOffsetMs(new Date(wall), tz);
  return new Date(wall - zoneOffsetMs(new Date(guess), tz));
}
