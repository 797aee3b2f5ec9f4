/** Distances on the WGS-84 sphere (h3-js's great-circle distance, mean Earth radius). */
import { greatCircleDistance } from 'h3-js';

/** Great-circle distance in metres between two WGS-84 points given as lat, lng in degrees. */
export function distanceM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  return greatCircleDistance([lat1, lng1], [lat2, lng2], 'm');
}
