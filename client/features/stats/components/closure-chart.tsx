import { useMemo } from 'react';
import type { IncidentFilters } from '../../../lib/filters.js';
import { monthPatch } from '../lib/cross-filter.js';
import type { FilterPatch } from '../lib/cross-filter.js';
import { useClosureRate } from '../api/use-closure-rate.js';
import { closureOption, rateToPercent } from '../lib/chart-options.js';
import { formatRate } from '../lib/format.js';
import { useStatsT } from '../strings.js';
import { ChartCard } from './chart-card.js';
import { EChart } from './echart.js';

export interface ClosureChartProps {
  filters: IncidentFilters;
  onFilter: (patch: FilterPatch) => void;
  /** Months up to and including this one. */
  months?: number;
}

/** The monthly closure rate, as of now and by the end of each month, against the target line. */
export function ClosureChart({ filters, onFilter, months = 12 }: ClosureChartProps) {
  const t = useStatsT();
  const query = useClosureRate(filters, months);
  const data = query.data;
  const option = useMemo(
    () => (data ? closureOption(data, { now: t('closure.now'), byEnd: t('closure.byEnd'), target: t('closure.target', { target: formatRate(data.target) }) }) : null),
    [data, t],
  );
  const empty = !data || data.series.every((s) => s.occurred.every((n) => n === 0));
  return (
    <ChartCard testId="closure-chart" title={t('closure.title')} query={query} empty={empty} note={t('closure.note')}>
      {option && data && (
        <EChart
          option={option}
          height={220}
          label={t('closure.title')}
          onItemClick={({ dataIndex }) => {
            const month = data.months[dataIndex];
            if (month) onFilter(monthPatch(month));
          }}
          testId="closure-chart"
          testPoints={(chart) =>
            data.months.map((month, i) => {
              const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [i, rateToPercent(data.series[0]?.rateNow[i] ?? null) ?? 0]);
              return { key: month, x: x!, y: y! };
            })
          }
        />
      )}
    </ChartCard>
  );
}
