/**
 * The basemap's coordinate system. Hexwatch stores and queries WGS-84; AMap tiles are drawn in
 * GCJ-02 (DESIGN.md "Coordinates"), so on that basemap everything Hexwatch draws is converted
 * WGS-84 -> GCJ-02 on its way to the map, and what the map reports (centre, visible box) is
 * converted back before it reaches the URL or a query. Tuples are [lng, lat] (GeoJSON, MapLibre
 * and deck.gl order); H3 gives [lat, lng] and is swapped in `cellToMapRing` only.
 */
import gcoord from 'gcoord';
import { cellToBoundary } from 'h3-js';
import type { Bbox } from '../../../lib/filters.js';

export type LngLat = [lng: number, lat: number];
export type MapCrsId = 'wgs84' | 'gcj02';

export interface MapCrs {
  id: MapCrsId;
  /** A stored (WGS-84) point -> the basemap's coordinates. */
  wgs84ToMap: (p: LngLat) => LngLat;
  /** A point on the basemap -> WGS-84. */
  mapToWgs84: (p: LngLat) => LngLat;
}

const identity = (p: LngLat): LngLat => p;

export const WGS84_CRS: MapCrs = { id: 'wgs84', wgs84ToMap: identity, mapToWgs84: identity };

export const GCJ02_CRS: MapCrs = {
  id: 'gcj02',
  wgs84ToMap: (p) => {
    const [lng, lat] = gcoord.transform<[number, number]>([p[0], p[1]], gcoord.WGS84, gcoord.GCJ02);
    return [lng, lat];
  },
  mapToWgs84: (p) => {
    const [lng, lat] = gcoord.transform<[number, number]>([p[0], p[1]], gcoord.GCJ02, gcoord.WGS84);
    return [lng, lat];
  },
};

export function crsFor(id: MapCrsId): MapCrs {
  return id === 'gcj02' ? GCJ02_CRS : WGS84_CRS;
}

/** The closed outline of an H3 cell in the basemap's coordinates, vertex by vertex. */
export function cellToMapRing(cell: string, crs: MapCrs): LngLat[] {
  const ring = cellToBoundary(cell).map(([lat, lng]) => crs.wgs84ToMap([lng, lat]));
  ring.push(ring[0]!);
  return ring;
}

/** A visible box on the basemap -> the WGS-84 box that covers it (corners converted, then enclosed). */
export function mapBboxToWgs84([west, south, east, north]: Bbox, crs: MapCrs): Bbox {
  if (crs.id === 'wgs84') return [west, south, east, north];
  const corners = ([[west, south], [west, north], [east, south], [east, north]] as LngLat[]).map(crs.mapToWgs84);
  return [
    Math.min(...corners.map((c) => c[0])),
    Math.min(...corners.map((c) => c[1])),
    Math.max(...corners.map((c) => c[0])),
    Math.max(...corners.map((c) => c[1])),
  ];
}
