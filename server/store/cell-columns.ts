/**
 * Where each served resolution's cell lives in the incident table: `h3` (resolution 11, the
 * first release's column) and `h3_5` .. `h3_10` (migration 005). Every query that groups or
 * filters by a cell reads the column of the requested resolution, so an incident counts in the
 * hexagon that contains it (server/domain/h3-cells.ts).
 */
import { assertServedResolution, MAX_RESOLUTION, SERVED_RESOLUTIONS } from '../domain/h3-cells.js';

/** Column name of `resolution`'s cell. @throws CellError outside 5..11. */
export function cellColumnName(resolution: number): string {
  assertServedResolution(resolution);
  return resolution === MAX_RESOLUTION ? 'h3' : `h3_${resolution}`;
}

/** `alias.column` of `resolution`'s cell. */
export function cellColumn(resolution: number, alias = 'i'): string {
  return `${alias}.${cellColumnName(resolution)}`;
}

/** The columns added by migration 005 (all served resolutions but the finest), coarsest first. */
export const COARSE_CELL_COLUMNS = SERVED_RESOLUTIONS.filter((r) => r !== MAX_RESOLUTION).map(cellColumnName);
