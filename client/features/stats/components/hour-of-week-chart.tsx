import { useMemo } from 'react';
import type { IncidentFilters } from '../../../lib/filters.js';
import { useHourOfWeek } from '../api/use-hour-of-week.js';
import { hourOfWeekOption } from '../lib/chart-options.js';
import { hourOfWeekPatch, withoutDimension } from '../lib/cross-filter.js';
import type { FilterPatch } from '../lib/cross-filter.js';
import { useStatsT } from '../strings.js';
import type { StatsKey } from '../strings.js';
import { ChartCard } from './chart-card.js';
import { EChart } from './echart.js';

export interface HourOfWeekChartProps {
  filters: IncidentFilters;
  onFilter: (patch: FilterPatch) => void;
}

/**
 * When incidents happen: 7 days x 24 hours in each city's local time. The grid asks without its
 * own hour-of-week filter, so every hour stays on it; a click filters to that hour of the week
 * (or clears it).
 */
export function HourOfWeekChart({ filters, onFilter }: HourOfWeekChartProps) {
  const t = useStatsT();
  const query = useHourOfWeek(withoutDimension(filters, 'hourOfWeek'));
  const data = query.data;
  const option = useMemo(() => {
    if (!data) return null;
    const days = Array.from({ length: 7 }, (_, d) => t(`day.${d}` as StatsKey));
    return hourOfWeekOption(data, days, (day, hour, count) => t('hourOfWeek.cell', { day: days[day] ?? '', hour, count }));
  }, [data, t]);
  return (
    <ChartCard testId="chart-hour-of-week" title={t('hourOfWeek.title')} query={query} empty={!data || data.max === 0} note={t('hourOfWeek.note')}>
      {option && data && (
        <EChart
          option={option}
          height={210}
          label={t('hourOfWeek.title')}
          onItemClick={({ dataIndex }) => {
            // cells are pushed day by day, 24 hours each (hourOfWeekOption)
            onFilter(hourOfWeekPatch(filters.hourOfWeek, Math.floor(dataIndex / 24), dataIndex % 24));
          }}
          testId="chart-hour-of-week"
          testPoints={(chart) =>
            data.counts.flatMap((row, day) =>
              row.map((_, hour) => {
                const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [hour, day]);
                return { key: `${day}-${hour}`, x: x!, y: y! };
              }),
            )
          }
        />
      )}
    </ChartCard>
  );
}
