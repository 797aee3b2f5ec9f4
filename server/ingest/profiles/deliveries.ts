/**
 * `deliveries`: exposure, the deliveries a store made on a day (optionally in one H3 cell).
 * One set of rules for the CSV import and `POST /api/v1/exposure` (the API turns its records into
 * these rows). Re-sending a (store, day, cell) replaces its deliveries.
 */
import { CellError, cellIdResolution, hexToCellId } from '../../domain/h3-cells.js';
import type { StoreRecord } from '../../store/types.js';
import type { Row } from '../fields.js';
import { optionalText, requiredText, RowError } from '../fields.js';
import type { ColumnSpec, ExposureProfile } from '../profile.js';

/** More deliveries than this from one store on one day is a unit error, not a busy day. */
export const MAX_DELIVERIES_PER_DAY = 1_000_000;
/** Exposure before this is refused as a typo (the demo and the HK file start later). */
export const MIN_EXPOSURE_DAY = '2000-01-01';

export const DELIVERIES_COLUMNS: readonly ColumnSpec[] = [
  { name: 'store_code', required: true, description: 'A known store (archived stores are refused).' },
  { name: 'date', required: true, description: 'The day, YYYY-MM-DD in the store\'s city time; not in the future.' },
  { name: 'deliveries', required: true, description: `Deliveries made that day, an integer 0..${MAX_DELIVERIES_PER_DAY}.` },
  { name: 'cell', required: false, description: 'H3 cell (resolution 5..11) the deliveries were made in; empty for the whole store.' },
];

export interface ExposureInput {
  storeId: number;
  /** YYYY-MM-DD, city time. */
  day: string;
  /** h3-js id, or null for the whole store. */
  cell: string | null;
  deliveries: number;
}

export interface ExposureRowContext {
  /** Operating stores by code. */
  storesByCode: ReadonlyMap<string, StoreRecord>;
  /** Days after the UTC date of now + 1 day are in the future in every zone. */
  now: Date;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** @throws RowError naming the field when the row cannot be stored. */
export function deliveriesRowToExposure(row: Row, ctx: ExposureRowContext): ExposureInput {
  const code = requiredText(row, 'store_code', 100);
  const store = ctx.storesByCode.get(code);
  if (!store) throw new RowError('store_code', 'is not an operating store', code);
  const day = requiredText(row, 'date', 10);
  const m = DAY_RE.exec(day);
  if (!m || new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)).toISOString().slice(0, 10) !== day) {
    throw new RowError('date', 'is not a date YYYY-MM-DD', day);
  }
  if (day < MIN_EXPOSURE_DAY) throw new RowError('date', `is before ${MIN_EXPOSURE_DAY}`, day);
  if (day > new Date(ctx.now.getTime() + 86_400_000).toISOString().slice(0, 10)) throw new RowError('date', 'is in the future', day);
  const rawDeliveries = requiredText(row, 'deliveries', 20);
  if (!/^\d+$/.test(rawDeliveries)) throw new RowError('deliveries', 'is not a whole number', rawDeliveries);
  const deliveries = Number(rawDeliveries);
  if (deliveries > MAX_DELIVERIES_PER_DAY) throw new RowError('deliveries', `is outside 0..${MAX_DELIVERIES_PER_DAY}`, rawDeliveries);
  const cell = optionalText(row, 'cell', 16);
  if (cell !== null) {
    let r: number;
    try {
      r = cellIdResolution(hexToCellId(cell));
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      throw new RowError('cell', 'is not an H3 cell id', cell);
    }
    if (r < 5 || r > 11) throw new RowError('cell', 'is not at resolution 5..11', cell);
  }
  return { storeId: store.id, day, cell: cell?.toLowerCase() ?? null, deliveries };
}

/** The key a batch must not repeat: the same store, day and cell twice is ambiguous. */
export function exposureKey(e: ExposureInput): string {
  return `${e.storeId}|${e.day}|${e.cell ?? ''}`;
}

export const deliveriesProfile: ExposureProfile = {
  name: 'deliveries',
  target: 'exposure',
  columns: DELIVERIES_COLUMNS,
  toExposure: deliveriesRowToExposure,
};
