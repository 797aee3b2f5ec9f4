import { useMemo } from 'react';
import type { IncidentFilters } from '../../../lib/filters.js';
import { useHourOfWeek } from '../api/use-hour-of-week.js';
import { hourOfWeekOption } from '../lib/chart-options.js';
import { useStatsT } from '../strings.js';
import type { StatsKey } from '../strings.js';
import { ChartCard } from './chart-card.js';
import { EChart } from './echart.js';

export interface HourOfWeekChartProps {
  filters: IncidentFilters;
}

/**
 * When incidents happen: 7 days x 24 hours in each city's local time. Not a cross-filter: the
 * shared filter schema has no hour-of-week field to narrow to.
 */
export function HourOfWeekChart({ filters }: HourOfWeekChartProps) {
  const t = useStatsT();
  const query = useHourOfWeek(filters);
  const data = query.data;
  const option = useMemo(() => {
    if (!data) return null;
    const days = Array.from({ length: 7 }, (_, d) => t(`day.${d}` as StatsKey));
    return hourOfWeekOption(data, days, (day, hour, count) => t('hourOfWeek.cell', { day: days[day] ?? '', hour, count }));
  }, [data, t]);
  return (
    <ChartCard testId="chart-hour-of-week" title={t('hourOfWeek.title')} query={query} empty={!data || data.max === 0} note={t('hourOfWeek.note')}>
      {option && <EChart option={option} height={210} label={t('hourOfWeek.title')} />}
    </ChartCard>
  );
}
