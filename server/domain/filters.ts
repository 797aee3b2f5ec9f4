/**
 * The one filter schema every data procedure shares (../DESIGN.md "Hexbins"), with bounds on
 * everything and unknown keys rejected. By default rejected AI detections are left out and
 * pending ones are counted.
 */
import { z } from 'zod';
import { MAX_RESOLUTION, MIN_RESOLUTION } from './resolutions.js';
import { CATEGORIES, KINDS, REVIEW_STATES, SEVERITIES, STATUSES } from './incident.js';
import type { ReviewState } from './incident.js';
import { plainLine } from './text.js';

/** More ids than this in one filter is a client bug, not a view: the UI never selects so many. */
export const MAX_STORE_IDS = 1000;
export const MAX_CITY_IDS = 100;

const isoTimestamp = z.iso.datetime({ offset: true, message: 'must be an ISO timestamp such as 2025-01-31T16:00:00Z' });

export const FiltersSchema = z
  .object({
    from: isoTimestamp.optional(),
    to: isoTimestamp.optional(),
    kinds: z.array(z.enum(KINDS)).min(1).max(KINDS.length).optional(),
    categories: z.array(z.enum(CATEGORIES)).min(1).max(CATEGORIES.length).optional(),
    severities: z
      .array(z.number().int().min(SEVERITIES[0]).max(SEVERITIES[SEVERITIES.length - 1]!))
      .min(1)
      .max(SEVERITIES.length)
      .optional(),
    statuses: z.array(z.enum(STATUSES)).min(1).max(STATUSES.length).optional(),
    review: z.array(z.enum(REVIEW_STATES)).min(1).max(REVIEW_STATES.length).optional(),
    storeIds: z.array(z.number().int().min(1).max(2_147_483_647)).min(1).max(MAX_STORE_IDS).optional(),
    cityIds: z.array(z.number().int().min(1).max(2_147_483_647)).min(1).max(MAX_CITY_IDS).optional(),
    overdueOnly: z.boolean().optional(),
    /** One hour of the week in each city's own zone (the hour-of-week chart): day 0 = Monday .. 6, hour 0..23. */
    hourOfWeek: z.object({ day: z.number().int().min(0).max(6), hour: z.number().int().min(0).max(23) }).strict().optional(),
    q: plainLine(z.string().trim().min(1).max(100)).optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || Date.parse(f.from) <= Date.parse(f.to), {
    path: ['from'],
    message: 'must not be after `to`',
  });

export type Filters = z.infer<typeof FiltersSchema>;

/** A filter without `review` leaves rejected AI detections out and counts pending ones. */
export function passesDefaultReview(review: ReviewState | null): boolean {
  return review !== 'rejected';
}

/**
 * SQL of passesDefaultReview for the incident table's `alias`. (IS DISTINCT FROM lets DuckDB
 * push the test into its scan; `IS NULL OR <>` did not.)
 */
export function defaultReviewSql(alias = 'i', reviewType?: string): string {
  // With the column's ENUM type (DuckDB: review_state) the literal is of that type: no per-row cast to text.
  return `${alias}.review IS DISTINCT FROM ${reviewType ? `CAST('rejected' AS ${reviewType})` : `'rejected'`}`;
}

/** `[west, south, east, north]` in WGS-84 degrees; boxes across the antimeridian are not served. */
export const BboxSchema = z
  .tuple([
    z.number().min(-180).max(180),
    z.number().min(-90).max(90),
    z.number().min(-180).max(180),
    z.number().min(-90).max(90),
  ])
  .refine(([w, , e]) => w < e, { message: 'west must be less than east ([west, south, east, north])' })
  .refine(([, s, , n]) => s < n, { message: 'south must be less than north ([west, south, east, north])' });

export type Bbox = z.infer<typeof BboxSchema>;

export const ResolutionSchema = z.number().int().min(MIN_RESOLUTION).max(MAX_RESOLUTION);

/** An H3 cell id as h3-js writes it (15 hex digits); validity is checked where it is decoded. */
export const CellHexSchema = z.string().regex(/^[0-9a-f]{15}$/i, 'must be an H3 cell id of 15 hex digits');
