/**
 * The hot-spot analysis of incidents, per city: the one place that reads the cells' counts from
 * the store and runs the pure statistics of server/domain/hotspots on them. Used by the map
 * (`map.hotspots`) and the alert scan (server/jobs/alert-scan.ts), so that an alert's class is
 * the class the map shows for the same cells and weeks.
 *
 * Cells of different cities are not neighbours and each city has its own level, hence one
 * analysis per city. The study area is the cells with incidents (the ArcGIS space-time cube's
 * convention).
 */
import { emergingHotSpots } from '../domain/hotspots/emerging.js';
import type { EmergingResult } from '../domain/hotspots/emerging.js';
import { giStar } from '../domain/hotspots/getis-ord.js';
import type { GiStarResult } from '../domain/hotspots/getis-ord.js';
import type { Filters } from '../domain/filters.js';
import type { Scope } from '../store/types.js';
import type { StatsStore } from '../store/stats.js';

/** Gi* of one city's cells; `counts[k]` is the incidents of `cells[k]`. */
export interface CityGi extends GiStarResult {
  cityId: number;
  counts: number[];
}

/** Gi* z-scores of the cells' incident counts at `resolution` for the filter, per city. */
export async function giByCity(stats: StatsStore, q: { filters: Filters; resolution: number; now: Date }, scope: Scope): Promise<CityGi[]> {
  const out: CityGi[] = [];
  for (const city of await stats.cellCounts(q, scope)) {
    const gi = giStar(new Map(city.cells.map((c, k) => [c, city.counts[k]!])));
    // giStar keeps the order of its input cells: counts line up with gi.cells
    out.push({ ...gi, cityId: city.cityId, counts: city.counts });
  }
  return out;
}

/** The emerging hot-spot classes of one city's cells, with the weekly counts they were found in. */
export interface CityEmerging extends EmergingResult {
  cityId: number;
  /** Mondays (YYYY-MM-DD, city time) of the complete weeks analysed, oldest first. */
  weeks: string[];
  /** counts[week][k] for cells[k]. */
  counts: number[][];
  /** Incidents of cells[k] over all the weeks. */
  totals: number[];
}

/**
 * The emerging hot-spot analysis (Gi* per week, Mann-Kendall trend of the z-scores) over the
 * `weeks` complete weeks before the week containing `end`, per city.
 */
export async function emergingByCity(
  stats: StatsStore,
  q: { filters: Filters; resolution: number; weeks: number; end: Date; now: Date },
  scope: Scope,
): Promise<CityEmerging[]> {
  const out: CityEmerging[] = [];
  for (const cube of await stats.cellWeeks(q, scope)) {
    // emergingHotSpots keeps the cube's cell order: result.cells[k] is cube.cells[k]
    const result = emergingHotSpots({ cells: cube.cells, counts: cube.counts });
    const totals = cube.cells.map((_, k) => cube.counts.reduce((sum, step) => sum + step[k]!, 0));
    out.push({ ...result, cityId: cube.cityId, weeks: cube.weeks, counts: cube.counts, totals });
  }
  return out;
}
