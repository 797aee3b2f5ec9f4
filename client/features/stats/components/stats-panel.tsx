import type { IncidentFilters } from '../../../lib/filters.js';
import { useKpis } from '../api/use-kpis.js';
import type { FilterPatch } from '../lib/cross-filter.js';
import { useStatsT } from '../strings.js';
import { CategoriesChart } from './categories-chart.js';
import { ClosureChart } from './closure-chart.js';
import { HourOfWeekChart } from './hour-of-week-chart.js';
import { StoreRanking } from './store-ranking.js';
import { TimeseriesChart } from './timeseries-chart.js';

export interface StatsPanelProps {
  filters: IncidentFilters;
  /** A chart was clicked: merge this into the filters (the map and every chart follow). */
  onFilter: (patch: FilterPatch) => void;
}

/** Default closure-rate target until the KPIs (same filter, usually cached) say otherwise. */
const DEFAULT_TARGET = 0.9;

/** The charts of the current filter, each a cross-filter where the filter schema allows. */
export function StatsPanel({ filters, onFilter }: StatsPanelProps) {
  const t = useStatsT();
  const target = useKpis(filters).data?.target ?? DEFAULT_TARGET;
  return (
    <div className="hw-stats" data-testid="stats-panel">
      <p className="hw-muted">{t('dashboard.hint')}</p>
      <ClosureChart filters={filters} onFilter={onFilter} />
      <TimeseriesChart filters={filters} onFilter={onFilter} />
      <CategoriesChart filters={filters} onFilter={onFilter} />
      <HourOfWeekChart filters={filters} onFilter={onFilter} />
      <StoreRanking filters={filters} onFilter={onFilter} target={target} />
    </div>
  );
}
