import '../stats.css';
import { useT } from '../../../i18n/i18n.js';
import type { IncidentFilters } from '../../../lib/filters.js';
import { useKpis } from '../api/use-kpis.js';
import { formatRate, rateTone } from '../lib/format.js';

export interface KpiStripProps {
  /** The manager's stores (no time range: this month's rate and what is open now). */
  filters: IncidentFilters;
}

/**
 * One line for a store manager's work list: this month's closure rate against the target,
 * open and overdue. The same query as the KPI cards, so the two never disagree.
 */
export function KpiStrip({ filters }: KpiStripProps) {
  const t = useT();
  const kpis = useKpis(filters);
  if (!kpis.data) return null;
  const k = kpis.data;
  const tone = rateTone(k.thisMonth.rate, k.target);
  return (
    <p className={`hw-kpi-strip hw-kpi-strip--${tone}`} data-testid="kpi-strip" data-open={k.open} data-overdue={k.overdue}>
      {t('kpi.strip', {
        rate: formatRate(k.thisMonth.rate),
        target: formatRate(k.target),
        open: k.open.toLocaleString(),
        overdue: k.overdue.toLocaleString(),
      })}
    </p>
  );
}
