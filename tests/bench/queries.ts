/**
 * The five benchmark queries of the hexbin engine, as tRPC calls. Parameters that depend on
 * the data (a city, a store, a busy cell) are resolved once per database before timing.
 */
import type { Bbox, Filters } from '../../server/domain/filters.js';

export interface BenchContext {
  now: Date;
  cityId: number;
  storeId: number;
  /** [lng, lat] of the store: the centre of the 10 km box. */
  centre: [lng: number, lat: number];
  busyCell9: string;
}

export interface BenchQuery {
  name: string;
  procedure: 'map.hexbins' | 'incidents.list';
  input: (c: BenchContext) => { resolution?: number; filters: Filters; bbox?: Bbox; cell?: string; limit?: number };
}

const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

/** A square of `km` a side around [lng, lat]. */
export function boxAround([lng, lat]: [number, number], km: number): Bbox {
  const dLat = km / 2 / 111.32;
  const dLng = km / 2 / (111.32 * Math.cos((lat * Math.PI) / 180));
  return [lng - dLng, lat - dLat, lng + dLng, lat + dLat];
}

export const BENCH_QUERIES: BenchQuery[] = [
  {
    name: 'q1 all cities, 365 days, res 8',
    procedure: 'map.hexbins',
    input: (c) => ({ resolution: 8, filters: { from: daysAgo(c.now, 365) } }),
  },
  {
    name: 'q2 one city, res 9, 2 categories, severity >= 3',
    procedure: 'map.hexbins',
    input: (c) => ({
      resolution: 9,
      filters: { cityIds: [c.cityId], categories: ['vehicle_collision', 'wrong_way'], severities: [3, 4] },
    }),
  },
  {
    name: 'q3 one store, 90 days, res 10',
    procedure: 'map.hexbins',
    input: (c) => ({ resolution: 10, filters: { storeIds: [c.storeId], from: daysAgo(c.now, 90) } }),
  },
  {
    name: 'q4 10 km box, 30 days, res 9',
    procedure: 'map.hexbins',
    input: (c) => ({ resolution: 9, bbox: boxAround(c.centre, 10), filters: { from: daysAgo(c.now, 30) } }),
  },
  {
    name: 'q5 incidents of a busy res-9 cell, first page',
    procedure: 'incidents.list',
    input: (c) => ({ cell: c.busyCell9, filters: {}, limit: 50 }),
  },
];
