/**
 * Which cells a bounding-box hexbin query returns. A cell is returned when its centre lies
 * within the box grown by one cell radius (so every cell that touches the box is there), and
 * it carries the full counts of the cell, not just of the part inside the box: incidents are
 * read from the box grown by two cell radii, which contains every such cell whole.
 */
import { cellToLatLng, getHexagonEdgeLengthAvg } from 'h3-js';
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

/** Whether the cell (h3-js hex) belongs to a bbox query at its resolution. */
export function cellInBbox(hex: string, bbox: Bbox, resolution: number): boolean {
  const [west, south, east, north] = growBbox(bbox, cellRadiusKm(resolution));
  const [lat, lng] = cellToLatLng(hex);
  return lat >= south && lat <= north && lng >= west && lng <= east;
}
