/**
 * Risk per delivery (../../DESIGN.md "Beyond the map"): incidents per 1,000 deliveries, smoothed
 * by empirical Bayes so that a store with 3 deliveries and 1 accident does not top a ranking.
 * Pure: no SQL.
 *
 * Model (Clayton and Kaldor 1987), fitted per city by maximum likelihood:
 *   y_i ~ Poisson(e_i * theta_i),  theta_i ~ Gamma(alpha, beta)
 * with y_i a store's incidents and e_i its deliveries in thousands; marginally y_i is negative
 * binomial. The prior's mean alpha / beta is the city's typical rate and alpha / beta^2 the spread
 * of the true rates between stores. Each store's smoothed rate is its posterior mean
 *   (y_i + alpha) / (e_i + beta) = w_i * y_i / e_i + (1 - w_i) * alpha / beta,  w_i = e_i / (e_i + beta),
 * so a store with few deliveries is shown near the city's rate until its own deliveries say
 * otherwise. Maximum likelihood rather than the method of moments (Marshall 1991): the moment
 * estimate of the spread is inflated by the very stores it should shrink (a store with 3
 * deliveries and 1 accident adds about 1 / e_i to it), which can leave such a store on top.
 */

import { cellToParent, getResolution, isValidCell } from 'h3-js';

/** Rates are per this many deliveries. */
export const DELIVERIES_PER_UNIT = 1000;

export interface ExposureUnit {
  /** Incidents in the period. */
  incidents: number;
  /** Deliveries in the same period (> 0). */
  deliveries: number;
}

export interface GammaPrior {
  /** alpha / beta: the typical rate of the city, incidents per 1,000 deliveries. */
  mean: number;
  /** alpha / beta^2: the spread of the true rates between stores; near 0 shrinks every store to the mean. */
  variance: number;
}

export interface SmoothedRate {
  /** incidents / deliveries * 1,000. */
  raw: number;
  /** The empirical Bayes posterior mean, per 1,000 deliveries. */
  smoothed: number;
  /** w_i: how much of the store's own raw rate the smoothed one keeps (0..1). */
  weight: number;
}

/** Bounds of the search for alpha: beyond 1e8 the spread between stores is nil for any rate here. */
const LOG_ALPHA_MIN = Math.log(1e-4);
const LOG_ALPHA_MAX = Math.log(1e8);

/** The beta that maximises the likelihood for a given alpha: the root of its score (bisection in log beta). */
function betaGivenAlpha(alpha: number, y: readonly number[], e: readonly number[]): number {
  // score(beta) = n alpha / beta - sum (alpha + y_i) / (beta + e_i): positive near 0, negative for large beta
  const score = (beta: number) => y.reduce((acc, yi, i) => acc + alpha / beta - (alpha + yi) / (beta + e[i]!), 0);
  let lo = Math.log(1e-12);
  let hi = Math.log(1e15);
  for (let k = 0; k < 200 && hi - lo > 1e-12; k++) {
    const mid = (lo + hi) / 2;
    if (score(Math.exp(mid)) > 0) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/** Negative-binomial log-likelihood, without the terms that do not depend on alpha and beta. */
function logLikelihood(alpha: number, beta: number, y: readonly number[], e: readonly number[]): number {
  let ll = 0;
  y.forEach((yi, i) => {
    // lgamma(y + alpha) - lgamma(alpha) = sum_{k < y} log(alpha + k): exact for integer counts
    for (let k = 0; k < yi; k++) ll += Math.log(alpha + k);
    ll += alpha * Math.log(beta / (beta + e[i]!)) + yi * Math.log(e[i]! / (beta + e[i]!));
  });
  return ll;
}

/**
 * Fits the Poisson-gamma prior to a city's units by maximum likelihood and smooths each unit's rate.
 * @throws RangeError for a negative or fractional incident count or deliveries that are not positive
 */
export function smoothRates(units: readonly ExposureUnit[]): { prior: GammaPrior; rates: SmoothedRate[] } {
  units.forEach((u, k) => {
    if (!Number.isSafeInteger(u.incidents) || u.incidents < 0) throw new RangeError(`units.${k}.incidents ${u.incidents} must be a non-negative integer`);
    if (!Number.isFinite(u.deliveries) || u.deliveries <= 0) throw new RangeError(`units.${k}.deliveries ${u.deliveries} must be positive`);
  });
  const e = units.map((u) => u.deliveries / DELIVERIES_PER_UNIT);
  const y = units.map((u) => u.incidents);
  const raw = y.map((yi, i) => yi / e[i]!);
  const pooled = y.reduce((a, b) => a + b, 0) / e.reduce((a, b) => a + b, 0);
  // nothing to pool from: no units, a single unit, or no incidents at all
  if (units.length < 2 || pooled === 0) {
    return { prior: { mean: units.length ? pooled : 0, variance: 0 }, rates: raw.map((r) => ({ raw: r, smoothed: r, weight: 1 })) };
  }
  const profile = (logAlpha: number) => {
    const alpha = Math.exp(logAlpha);
    return logLikelihood(alpha, betaGivenAlpha(alpha, y, e), y, e);
  };
  // a grid first (the profile can be flat at the top), then golden-section search around its best point
  const STEPS = 48;
  const step = (LOG_ALPHA_MAX - LOG_ALPHA_MIN) / STEPS;
  let best = 0;
  let bestLl = -Infinity;
  for (let k = 0; k <= STEPS; k++) {
    const ll = profile(LOG_ALPHA_MIN + k * step);
    if (ll > bestLl) [best, bestLl] = [k, ll];
  }
  let a = LOG_ALPHA_MIN + Math.max(0, best - 1) * step;
  let b = LOG_ALPHA_MIN + Math.min(STEPS, best + 1) * step;
  const phi = (Math.sqrt(5) - 1) / 2;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = profile(c);
  let fd = profile(d);
  while (b - a > 1e-9) {
    if (fc > fd) {
      [b, d, fd] = [d, c, fc];
      c = b - phi * (b - a);
      fc = profile(c);
    } else {
      [a, c, fc] = [c, d, fd];
      d = a + phi * (b - a);
      fd = profile(d);
    }
  }
  const alpha = Math.exp((a + b) / 2);
  const beta = betaGivenAlpha(alpha, y, e);
  const rates = raw.map((r, i) => {
    const weight = e[i]! / (e[i]! + beta);
    return { raw: r, smoothed: (y[i]! + alpha) / (e[i]! + beta), weight };
  });
  return { prior: { mean: alpha / beta, variance: alpha / beta ** 2 }, rates };
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD` of the day containing `at` in the IANA zone `tz` (exposure days are city days). */
export function instantToLocalDay(at: Date, tz: string): string {
  let format = dayFormats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(tz, format);
  }
  return format.format(at);
}

/** Deliveries of one store in one H3 cell over a period (the exposure rows' sum). */
export interface CellExposure {
  storeId: number;
  cityId: number;
  /** h3-js id at any resolution 5..11. */
  cell: string;
  deliveries: number;
}

/** Incidents of one store in one cell of the map's resolution over the same period. */
export interface CellIncidents {
  storeId: number;
  cell: string;
  incidents: number;
}

export interface CellRate extends SmoothedRate {
  /** h3-js id at the requested resolution. */
  cell: string;
  cityId: number;
  incidents: number;
  deliveries: number;
}

/**
 * Incidents per 1,000 deliveries of the cells with per-cell exposure, at `resolution`, smoothed by
 * empirical Bayes with one prior fitted per city over that city's cells (smoothRates).
 *
 * - A cell's exposure is the deliveries its stores reported in it. A reported cell finer than
 *   `resolution` counts in its H3 parent (H3 children do not tile their parent exactly, so a
 *   little exposure near the edge lands in the neighbour: send cells at the map's resolution for
 *   exact figures); a coarser one cannot be split and is left out (no allocation is invented).
 * - A cell's incidents are those of the stores that reported exposure in it: another store's
 *   incidents there would be set against deliveries that are not counted.
 * - Cells without deliveries (0 reported) have no rate and are left out; so are cells outside
 *   any per-cell exposure, whose rate is unknown rather than 0.
 * A cell reported by stores of two cities belongs to the city of its first row.
 * Cells come out ascending by id (their h3-js hex strings have one length, so text order).
 * @throws RangeError for a cell that is not a valid H3 cell
 */
export function cellRates(exposure: readonly CellExposure[], incidents: readonly CellIncidents[], resolution: number): CellRate[] {
  const perStoreCell = new Map<string, number>(); // `${storeId}|${cell}` -> deliveries
  const cells = new Map<string, { cityId: number; deliveries: number; incidents: number }>();
  for (const e of exposure) {
    if (!isValidCell(e.cell)) throw new RangeError(`exposure cell ${e.cell} is not an H3 cell`);
    const r = getResolution(e.cell);
    if (r < resolution) continue;
    const cell = r === resolution ? e.cell : cellToParent(e.cell, resolution);
    const key = `${e.storeId}|${cell}`;
    perStoreCell.set(key, (perStoreCell.get(key) ?? 0) + e.deliveries);
    const entry = cells.get(cell) ?? { cityId: e.cityId, deliveries: 0, incidents: 0 };
    entry.deliveries += e.deliveries;
    cells.set(cell, entry);
  }
  for (const i of incidents) {
    if (!perStoreCell.has(`${i.storeId}|${i.cell}`)) continue;
    cells.get(i.cell)!.incidents += i.incidents;
  }
  const out: CellRate[] = [];
  const byCity = new Map<number, Array<[string, { cityId: number; deliveries: number; incidents: number }]>>();
  for (const entry of [...cells.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (entry[1].deliveries <= 0) continue;
    byCity.set(entry[1].cityId, [...(byCity.get(entry[1].cityId) ?? []), entry]);
  }
  for (const list of byCity.values()) {
    const { rates } = smoothRates(list.map(([, c]) => ({ incidents: c.incidents, deliveries: c.deliveries })));
    list.forEach(([cell, c], k) => out.push({ cell, cityId: c.cityId, incidents: c.incidents, deliveries: c.deliveries, ...rates[k]! }));
  }
  return out.sort((a, b) => (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0));
}
