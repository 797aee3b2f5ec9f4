import '../stats.css';
import { useT } from '../../../i18n/i18n.js';
import type { IncidentFilters } from '../../../lib/filters.js';
import { useKpis } from '../api/use-kpis.js';
import { AMBER_MARGIN, formatRate, rateTone } from '../lib/format.js';
import type { RateTone } from '../lib/format.js';
import { useStatsT } from '../strings.js';

export interface KpiCardsProps {
  filters: IncidentFilters;
}

const TONE_CLASS: Record<RateTone, string> = { good: ' hw-kpi--good', warn: ' hw-kpi--warn', bad: ' hw-kpi--bad', none: '' };

/**
 * Incidents, open, overdue, and the closure rate this month and over 3 months: green at or
 * above the target, amber just below it, red further below.
 */
export function KpiCards({ filters }: KpiCardsProps) {
  const t = useT();
  const ts = useStatsT();
  const kpis = useKpis(filters);
  if (kpis.isPending) return <p className="hw-kpis hw-muted">{t('common.loading')}</p>;
  if (kpis.isError) {
    return (
      <p className="hw-kpis hw-error" role="alert" data-testid="kpis-error">
        {t('kpi.error')} {kpis.error.message}{' '}
        <button type="button" className="hw-button" onClick={() => void kpis.refetch()}>
          {t('common.retry')}
        </button>
      </p>
    );
  }
  const k = kpis.data;
  const margin = Math.round(AMBER_MARGIN * 100);
  const toneTitle = (tone: RateTone) =>
    tone === 'good' ? ts('kpi.targetMet') : tone === 'warn' ? ts('kpi.targetNear', { margin }) : tone === 'bad' ? ts('kpi.targetMissed', { margin }) : undefined;
  const month = rateTone(k.thisMonth.rate, k.target);
  const trailing = rateTone(k.trailing3.rate, k.target);
  return (
    <section className="hw-kpis" data-testid="kpis" aria-label={t('kpi.title')} aria-busy={kpis.isPlaceholderData}>
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
      <div className={`hw-kpi${TONE_CLASS[month]}`} data-testid="kpi-month-rate" data-tone={month} title={toneTitle(month)}>
        <span className="hw-kpi__value">{formatRate(k.thisMonth.rate)}</span>
        <span className="hw-kpi__label">{t('kpi.monthRate', { closed: k.thisMonth.closed, occurred: k.thisMonth.occurred })}</span>
      </div>
      <div className={`hw-kpi${TONE_CLASS[trailing]}`} data-testid="kpi-3m-rate" data-tone={trailing} title={toneTitle(trailing)}>
        <span className="hw-kpi__value">{formatRate(k.trailing3.rate)}</span>
        <span className="hw-kpi__label">{t('kpi.trailingRate', { target: formatRate(k.target) })}</span>
      </div>
    </section>
  );
}
