import { useT } from '../../../i18n/i18n.js';
import type { IncidentFilters } from '../../../lib/filters.js';
import { useCellExposureRate } from '../api/use-exposure-rates.js';

export interface CellExposureProps {
  cell: string;
  filters: IncidentFilters;
}

const rate = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

/**
 * Risk per delivery of a clicked hexagon, for its panel: the smoothed rate with the raw one beside
 * it, or that the hexagon has no delivery counts (its risk per delivery is unknown, not zero).
 */
export function CellExposure({ cell, filters }: CellExposureProps) {
  const t = useT();
  const query = useCellExposureRate(filters, cell);
  if (!query.isSuccess) return null;
  const k = query.data.cells.indexOf(cell);
  if (k < 0) {
    return (
      <p className="hw-muted" data-testid="cell-exposure" data-state="none">
        {t('cell.noExposure')}
      </p>
    );
  }
  const d = query.data;
  return (
    <p className="hw-muted" data-testid="cell-exposure" data-state="rate" data-smoothed={d.per1000Smoothed[k]} data-raw={d.per1000[k]}>
      {t('cell.per1000', {
        smoothed: rate(d.per1000Smoothed[k]!),
        raw: rate(d.per1000[k]!),
        incidents: d.incidents[k]!,
        deliveries: d.deliveries[k]!.toLocaleString(),
      })}
    </p>
  );
}
