import '../stats.css';
import { useT } from '../../../i18n/i18n.js';
import type { IncidentFilters } from '../../../lib/filters.js';
import { useKpis } from '../api/use-kpis.js';
import { formatRate, rateTone } from '../lib/format.js';

export interface KpiStripProps {
  /** The manager's stores (no time range: this month's rate and what is open now). */
  filters: IncidentFilters;
  /**
   * The open and overdue counts of the work list under the strip (`incidents.myWork`). Shown
   * instead of the KPI query's: that one also counts AI detections awaiting review (the list
   * keeps them in the review queue), so the strip said 69 / 45 above a list of 66 / 46 (issue 19).
   */
  work?: { open: number; overdue: number };
}

/**
 * One line for a store manager's work list: this month's closure rate against the target,
 * open and overdue as the list counts them.
 */
export function KpiStrip({ filters, work }: KpiStripProps) {
  const t = useT();
  const kpis = useKpis(filters);
  if (!kpis.data) return null;
  const k = kpis.data;
  const open = work?.open ?? k.open;
  const overdue = work?.overdue ?? k.overdue;
  const tone = rateTone(k.thisMonth.rate, k.target);
  return (
    <p className={`hw-kpi-strip hw-kpi-strip--${tone}`} data-testid="kpi-strip" data-open={open} data-overdue={overdue}>
      {t('kpi.strip', {
        rate: formatRate(k.thisMonth.rate),
        target: formatRate(k.target),
        open: open.toLocaleString(),
        overdue: overdue.toLocaleString(),
      })}
    </p>
  );
}
