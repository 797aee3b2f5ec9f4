/**
 * The incident filters every query shares: exactly the server's zod schema (DESIGN.md
 * "Hexbins"), taken from the router's input type so the two cannot drift apart.
 */
import type { RouterInputs } from './trpc.js';

export type IncidentFilters = NonNullable<RouterInputs['map']['hexbins']['filters']>;

/** [west, south, east, north] in WGS-84 degrees. */
export type Bbox = [west: number, south: number, east: number, north: number];
