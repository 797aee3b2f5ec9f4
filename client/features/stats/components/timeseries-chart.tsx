import { useMemo, useState } from 'react';
import { INTERVALS, SPLITS } from '../../../../server/domain/stats-vocabulary.js';
import { useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import type { IncidentFilters } from '../../../lib/filters.js';
import { useTimeseries } from '../api/use-timeseries.js';
import { timeseriesOption } from '../lib/chart-options.js';
import { bucketPatch } from '../lib/cross-filter.js';
import type { FilterPatch, Interval, Split } from '../lib/cross-filter.js';
import { useStatsT } from '../strings.js';
import { ChartCard, Segmented } from './chart-card.js';
import { EChart } from './echart.js';

export interface TimeseriesChartProps {
  filters: IncidentFilters;
  onFilter: (patch: FilterPatch) => void;
}


/** Incidents per day, week or month, split by kind or severity; a bar filters to its period (and series). */
export function TimeseriesChart({ filters, onFilter }: TimeseriesChartProps) {
  const t = useT();
  const ts = useStatsT();
  const [interval, setInterval] = useState<Interval>('week');
  const [split, setSplit] = useState<Split>('none');
  const query = useTimeseries(filters, interval, split);
  const data = query.data;
  const option = useMemo(() => {
    if (!data) return null;
    const nameOf = (key: string) =>
      key === 'accident' || key === 'exception' ? t(`kind.${key}` as MessageKey) : /^[1-4]$/.test(key) ? ts('series.severity', { severity: key }) : ts('series.all');
    return timeseriesOption(data, nameOf);
  }, [data, t, ts]);
  const empty = !data || data.series.every((s) => s.counts.every((n) => n === 0));
  return (
    <ChartCard
      testId="chart-timeseries"
      title={ts('timeseries.title')}
      query={query}
      empty={empty}
      controls={
        <div className="hw-chart-card__controls">
          <Segmented testId="timeseries-interval" label={ts('timeseries.interval')} value={interval} onChange={setInterval} options={INTERVALS.map((v) => ({ value: v, label: ts(`interval.${v}`) }))} />
          <Segmented testId="timeseries-split" label={ts('timeseries.split')} value={split} onChange={setSplit} options={SPLITS.map((v) => ({ value: v, label: ts(`split.${v}`) }))} />
        </div>
      }
    >
      {option && data && (
        <EChart
          option={option}
          height={200}
          label={ts('timeseries.title')}
          onItemClick={({ seriesIndex, dataIndex }) => {
            const bucket = data.buckets[dataIndex];
            const series = data.series[seriesIndex];
            if (bucket && series) onFilter(bucketPatch(bucket, data.interval, data.split, series.key));
          }}
          testId="chart-timeseries"
          testPoints={(chart) =>
            data.series.flatMap((series, s) =>
              data.buckets.map((bucket, i) => {
                const [x, y] = chart.convertToPixel({ seriesIndex: s }, [i, (series.counts[i] ?? 0) / 2]);
                return { key: `${series.key}:${bucket}`, x: x!, y: y! };
              }),
            )
          }
        />
      )}
    </ChartCard>
  );
}
