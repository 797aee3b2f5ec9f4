/**
 * Hexbins, and how `map.hexbins` sends them (issue 12: at most 10 compressed bytes per cell).
 *
 * A cell's counts are close to proportional to one another: a cell with many incidents has many
 * open, many AI detections, a large weighted count. Sent as they are, every column costs about
 * as much as `count` (1.6 to 2.1 compressed bytes a cell each on the 2M demo's q1: 12.5 in all).
 * So each column after `count` is sent as the residual from a prediction out of an earlier
 * column, with one ratio per answer: value = round(base × ratio / 4096) + residual. The residuals
 * are small numbers centred on 0 and compress to about half; `closed` is not sent at all
 * (count − open). Lossless: decodeHexbins gives back exactly what encodeHexbins was given
 * (tests/unit/domain/hexbin-wire.test.ts). Measured on q1 of the 2M demo (754 cells, brotli as
 * the server sends it): 12.53 bytes a cell as plain columns, 10.57 without `closed`, 9.15 so.
 * `cells`, `count`, `max` and `total` stay plain, so a reader of the raw JSON still finds where
 * the incidents are and how many.
 */

export interface Hexbins {
  resolution: number;
  cells: string[];
  count: number[];
  /** Severity-weighted count (SEVERITY_WEIGHT: 1, 2, 4, 8). */
  weighted: number[];
  open: number[];
  closed: number[];
  overdue: number[];
  /**
   * AI detections (incidents with a review state) among `count`: the filters decide which, so
   * rejected ones are left out unless a review filter asks for them.
   */
  ai: number[];
  /** Of `ai`, those still awaiting review; pending / ai is the map's "awaiting review" share. */
  pending: number[];
  /** Largest count of one cell. */
  max: number;
  /** Sum of count. */
  total: number;
}

/** A column sent as residuals: value[i] = round(base[i] × ratio / RATIO_ONE) + residual[i]. */
export interface ResidualColumn {
  ratio: number;
  residual: number[];
}

/** The `map.hexbins` answer on the wire (see the module's comment). */
export interface HexbinsWire {
  resolution: number;
  cells: string[];
  count: number[];
  weighted: ResidualColumn;
  open: ResidualColumn;
  overdue: ResidualColumn;
  ai: ResidualColumn;
  pending: ResidualColumn;
  max: number;
  total: number;
}

/** The ratios' unit: a power of two, so base × ratio / RATIO_ONE is exact in a double. */
const RATIO_ONE = 4096;

/** Each sent column and the column it is predicted from (decoded first). */
const PREDICTED_FROM = [
  ['weighted', 'count'],
  ['open', 'count'],
  ['overdue', 'open'],
  ['ai', 'count'],
  ['pending', 'ai'],
] as const;

function predict(base: number, ratio: number): number {
  return Math.round((base * ratio) / RATIO_ONE);
}

function encodeColumn(values: readonly number[], base: readonly number[]): ResidualColumn {
  let sumValues = 0;
  let sumBase = 0;
  for (let i = 0; i < values.length; i++) {
    sumValues += values[i]!;
    sumBase += base[i]!;
  }
  const ratio = sumBase > 0 ? Math.round((RATIO_ONE * sumValues) / sumBase) : 0;
  return { ratio, residual: values.map((v, i) => v - predict(base[i]!, ratio)) };
}

function decodeColumn(column: ResidualColumn, base: readonly number[]): number[] {
  return column.residual.map((r, i) => predict(base[i]!, column.ratio) + r);
}

export function encodeHexbins(h: Hexbins): HexbinsWire {
  const columns = {} as Record<(typeof PREDICTED_FROM)[number][0], ResidualColumn>;
  for (const [name, base] of PREDICTED_FROM) columns[name] = encodeColumn(h[name], h[base]);
  return { resolution: h.resolution, cells: h.cells, count: h.count, ...columns, max: h.max, total: h.total };
}

/** @throws Error when the columns' lengths differ (not an answer of encodeHexbins). */
export function decodeHexbins(w: HexbinsWire): Hexbins {
  const n = w.cells.length;
  for (const [name] of PREDICTED_FROM) {
    if (w[name].residual.length !== n) throw new Error(`hexbins: ${name} has ${w[name].residual.length} values for ${n} cells`);
  }
  if (w.count.length !== n) throw new Error(`hexbins: count has ${w.count.length} values for ${n} cells`);
  const weighted = decodeColumn(w.weighted, w.count);
  const open = decodeColumn(w.open, w.count);
  const overdue = decodeColumn(w.overdue, open);
  const ai = decodeColumn(w.ai, w.count);
  const pending = decodeColumn(w.pending, ai);
  const closed = w.count.map((c, i) => c - open[i]!);
  return { resolution: w.resolution, cells: w.cells, count: w.count, weighted, open, closed, overdue, ai, pending, max: w.max, total: w.total };
}
