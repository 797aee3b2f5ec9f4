/**
 * The incident filters every query shares (the server's zod schema; DESIGN.md "Hexbins").
 * Written out here until the server's `map`/`incidents` routers land; then this becomes
 * `RouterInputs['map']['hexbins']['filters']`.
 */
export interface IncidentFilters {
  /** ISO timestamps. */
  from?: string;
  to?: string;
  kinds?: Array<'accident' | 'exception'>;
  categories?: string[];
  severities?: number[];
  statuses?: Array<'open' | 'assigned' | 'in_progress' | 'closed' | 'dismissed'>;
  review?: Array<'pending' | 'confirmed' | 'rejected'>;
  storeIds?: number[];
  cityIds?: number[];
  overdueOnly?: boolean;
  q?: string;
}

/** [west, south, east, north] in WGS-84 degrees. */
export type Bbox = [west: number, south: number, east: number, north: number];
