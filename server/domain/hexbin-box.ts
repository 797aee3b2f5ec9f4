/**
 * Which cells a bounding-box hexbin query returns: exactly the cells whose hexagon touches the
 * box (shares at least a point with it), each with the full counts of the cell, not just of the
 * part inside the box. Incidents are read from the box grown by two cell radii, which contains
 * every such cell whole (an incident lies in the hexagon that contains it).
 */
import { cellToBoundary, cellToLatLng, getHexagonEdgeLengthAvg } from 'h3-js';
import type { Bbox } from './filters.js';

const KM_PER_DEGREE_LAT = 111.32;

/**
 * An upper bound of a cell's centre-to-vertex distance at `resolution`, in km. H3 cells of one
 * resolution differ in size by up to about 2x in area; twice the average edge covers them all.
 */
export function cellRadiusKm(resolution: number): number {
  return 2 * getHexagonEdgeLengthAvg(resolution, 'km');
}

/** The box grown by `km` on every side (longitude degrees shrink towards the poles). */
export function growBbox([west, south, east, north]: Bbox, km: number): Bbox {
  const dLat = km / KM_PER_DEGREE_LAT;
  const maxAbsLat = Math.min(89, Math.max(Math.abs(south), Math.abs(north)) + dLat);
  const dLng = km / (KM_PER_DEGREE_LAT * Math.cos((maxAbsLat * Math.PI) / 180));
  return [
    Math.max(-180, west - dLng),
    Math.max(-90, south - dLat),
    Math.min(180, east + dLng),
    Math.min(90, north + dLat),
  ];
}

/** The box incidents are read from for a hexbin query at `resolution`. */
export function readBbox(bbox: Bbox, resolution: number): Bbox {
  return growBbox(bbox, 2 * cellRadiusKm(resolution));
}

type Point = [x: number, y: number];

/**
 * Whether a convex polygon and an axis-aligned box share a point, by the separating axis
 * theorem: they are disjoint exactly when the box's two axes or one of the polygon's edge
 * normals separate them.
 */
function convexPolygonTouchesBox(ring: Point[], [minX, minY, maxX, maxY]: Bbox): boolean {
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  if (Math.max(...xs) < minX || Math.min(...xs) > maxX || Math.max(...ys) < minY || Math.min(...ys) > maxY) return false;
  const corners: Point[] = [[minX, minY], [maxX, minY], [maxX, maxY], [minX, maxY]];
  for (let k = 0; k < ring.length; k++) {
    const [ax, ay] = ring[k]!;
    const [bx, by] = ring[(k + 1) % ring.length]!;
    const [nx, ny] = [by - ay, ax - bx];
    const project = (p: Point) => p[0] * nx + p[1] * ny;
    const polygon = ring.map(project);
    const box = corners.map(project);
    if (Math.max(...box) < Math.min(...polygon) || Math.min(...box) > Math.max(...polygon)) return false;
  }
  return true;
}

/**
 * Whether the cell's hexagon (h3-js hex, at `resolution`) touches the box, in the [lng, lat]
 * plane the map draws it in. Cells whose centre lies in the box, or farther from it than a cell
 * radius, are decided without the boundary.
 */
export function cellInBbox(hex: string, bbox: Bbox, resolution: number): boolean {
  const [west, south, east, north] = bbox;
  const [lat, lng] = cellToLatLng(hex);
  if (lat >= south && lat <= north && lng >= west && lng <= east) return true;
  const [gw, gs, ge, gn] = growBbox(bbox, cellRadiusKm(resolution));
  if (lat < gs || lat > gn || lng < gw || lng > ge) return false;
  const ring = cellToBoundary(hex, true).slice(0, -1) as Point[]; // [lng, lat], closed: drop the repeat
  // a hexagon across the antimeridian: unwrap its longitudes and try the box on both sides
  if (Math.max(...ring.map((p) => p[0])) - Math.min(...ring.map((p) => p[0])) > 180) {
    const unwrapped = ring.map(([x, y]): Point => [x < 0 ? x + 360 : x, y]);
    return convexPolygonTouchesBox(unwrapped, bbox) || convexPolygonTouchesBox(unwrapped, [west + 360, south, east + 360, north]);
  }
  return convexPolygonTouchesBox(ring, bbox);
}
