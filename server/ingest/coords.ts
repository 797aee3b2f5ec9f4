/**
 * Input coordinate systems (../../DESIGN.md "Coordinates"): everything is stored as WGS-84;
 * Chinese map providers and Feishu location fields give GCJ-02, which importers convert.
 */
import gcoord from 'gcoord';

export const COORD_SYSTEMS = ['wgs84', 'gcj02'] as const;
export type CoordSystem = (typeof COORD_SYSTEMS)[number];

/** GCJ-02 -> WGS-84 degrees. gcoord works in GeoJSON order, so the tuples are [lng, lat]. */
export function gcj02ToWgs84(lngLat: [lng: number, lat: number]): [lng: number, lat: number] {
  const [lng, lat] = gcoord.transform<[number, number]>([lngLat[0], lngLat[1]], gcoord.GCJ02, gcoord.WGS84);
  return [lng, lat];
}

/** WGS-84 -> GCJ-02 degrees, [lng, lat]; the inverse of gcj02ToWgs84 (to about a metre). */
export function wgs84ToGcj02(lngLat: [lng: number, lat: number]): [lng: number, lat: number] {
  const [lng, lat] = gcoord.transform<[number, number]>([lngLat[0], lngLat[1]], gcoord.WGS84, gcoord.GCJ02);
  return [lng, lat];
}

/** An input point in `system` -> WGS-84 { lat, lng }. */
export function toWgs84(point: { lat: number; lng: number }, system: CoordSystem): { lat: number; lng: number } {
  if (system === 'wgs84') return point;
  const [lng, lat] = gcj02ToWgs84([point.lng, point.lat]);
  return { lat, lng };
}
