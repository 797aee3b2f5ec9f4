import { useT } from '../../../i18n/i18n.js';
import type { IncidentFilters } from '../../../lib/filters.js';
import { useKpis } from '../api/use-kpis.js';

export interface KpiCardsProps {
  filters: IncidentFilters;
}

function pct(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 100)}%`;
}

/** Incidents, open, overdue, and the closure rate this month and over 3 months against the target. */
export function KpiCards({ filters }: KpiCardsProps) {
  const t = useT();
  const kpis = useKpis(filters);
  if (kpis.isPending) return <p className="hw-kpis hw-muted">{t('common.loading')}</p>;
  if (kpis.isError) {
    return (
      <p className="hw-kpis hw-error" role="alert">
        {t('kpi.error')}{' '}
        <button type="button" className="hw-button" onClick={() => void kpis.refetch()}>
          {t('common.retry')}
        </button>
      </p>
    );
  }
  const k = kpis.data;
  const below = (rate: number | null) => rate !== null && rate < k.target;
  return (
    <section className="hw-kpis" data-testid="kpis" aria-label={t('kpi.title')}>
      <div className="hw-kpi" data-testid="kpi-incidents">
        <span className="hw-kpi__value">{k.incidents.toLocaleString()}</span>
        <span className="hw-kpi__label">{t('kpi.incidents')}</span>
      </div>
      <div className="hw-kpi" data-testid="kpi-open">
        <span className="hw-kpi__value">{k.open.toLocaleString()}</span>
        <span className="hw-kpi__label">{t('kpi.open')}</span>
      </div>
      <div className={`hw-kpi${k.overdue > 0 ? ' hw-kpi--bad' : ''}`} data-testid="kpi-overdue">
        <span className="hw-kpi__value">{k.overdue.toLocaleString()}</span>
        <span className="hw-kpi__label">{t('kpi.overdue')}</span>
      </div>
      <div className={`hw-kpi${below(k.thisMonth.rate) ? ' hw-kpi--bad' : ' hw-kpi--good'}`} data-testid="kpi-month-rate">
        <span className="hw-kpi__value">{pct(k.thisMonth.rate)}</span>
        <span className="hw-kpi__label">{t('kpi.monthRate', { closed: k.thisMonth.closed, occurred: k.thisMonth.occurred })}</span>
      </div>
      <div className={`hw-kpi${below(k.trailing3.rate) ? ' hw-kpi--bad' : ' hw-kpi--good'}`} data-testid="kpi-3m-rate">
        <span className="hw-kpi__value">{pct(k.trailing3.rate)}</span>
        <span className="hw-kpi__label">{t('kpi.trailingRate', { target: pct(k.target) })}</span>
      </div>
    </section>
  );
}
