import '../stats.css';
import { useT } from '../../../i18n/i18n.js';
import type { FilterState, IncidentFilters, Status } from '../../../lib/filters.js';
import { STATUSES } from '../../../lib/filters.js';
import { isFinalStatus } from '../../../../server/domain/sla.js';
import { useKpis } from '../api/use-kpis.js';
import { AMBER_MARGIN, formatRate, rateTone } from '../lib/format.js';
import type { RateTone } from '../lib/format.js';
import { useStatsT } from '../strings.js';

export interface KpiCardsProps {
  filters: IncidentFilters;
  /** A count card was clicked: filter the map and the lists to what it counts (again: back to all). */
  onFilter?: (patch: KpiFilterPatch) => void;
}

export type KpiFilterPatch = Pick<FilterState, 'statuses' | 'overdueOnly'>;

/** What the open card counts: every status that is not final (server: `status NOT IN FINAL`). */
export const OPEN_STATUSES: readonly Status[] = STATUSES.filter((status) => !isFinalStatus(status));

const ALL: KpiFilterPatch = { statuses: [], overdueOnly: false };

function isOpenOnly(filters: IncidentFilters): boolean {
  const s = filters.statuses ?? [];
  return s.length === OPEN_STATUSES.length && OPEN_STATUSES.every((x) => s.includes(x));
}

const TONE_CLASS: Record<RateTone, string> = { good: ' hw-kpi--good', warn: ' hw-kpi--warn', bad: ' hw-kpi--bad', none: '' };

/**
 * Incidents, open, overdue, and the closure rate this month and over 3 months: green at or
 * above the target, amber just below it, red further below. The three counts are buttons that
 * filter to what they count (issue 19).
 */
export function KpiCards({ filters, onFilter }: KpiCardsProps) {
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
      <CountCard testId="kpi-incidents" value={k.incidents} label={t('kpi.incidents')} active={false} onClick={onFilter && (() => onFilter(ALL))} />
      <CountCard
        testId="kpi-open"
        value={k.open}
        label={t('kpi.open')}
        active={isOpenOnly(filters)}
        onClick={onFilter && (() => onFilter(isOpenOnly(filters) ? ALL : { statuses: [...OPEN_STATUSES], overdueOnly: false }))}
      />
      <CountCard
        testId="kpi-overdue"
        value={k.overdue}
        label={t('kpi.overdue')}
        bad={k.overdue > 0}
        active={!!filters.overdueOnly}
        onClick={onFilter && (() => onFilter(filters.overdueOnly ? ALL : { statuses: [], overdueOnly: true }))}
      />
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

interface CountCardProps {
  testId: string;
  value: number;
  label: string;
  active: boolean;
  bad?: boolean;
  onClick: (() => void) | undefined;
}

/** A count with its label; a button (pressed while its filter is on) when it can filter. */
function CountCard({ testId, value, label, active, bad, onClick }: CountCardProps) {
  const className = `hw-kpi${bad ? ' hw-kpi--bad' : ''}`;
  const body = (
    <>
      <span className="hw-kpi__value">{value.toLocaleString()}</span>
      <span className="hw-kpi__label">{label}</span>
    </>
  );
  if (!onClick) {
    return (
      <div className={className} data-testid={testId}>
        {body}
      </div>
    );
  }
  return (
    <button type="button" className={`${className} hw-kpi--button`} data-testid={testId} aria-pressed={active} onClick={onClick}>
      {body}
    </button>
  );
}
