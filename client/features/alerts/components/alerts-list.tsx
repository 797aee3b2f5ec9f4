import '../alerts.css';
import { useState } from 'react';
import { useLang, useT } from '../../../i18n/i18n.js';
import { useAckAlert, useAlerts } from '../api/use-alerts.js';
import type { AlertItem } from '../api/use-alerts.js';
import { cellToBounds } from '../lib/cell-bounds.js';
import type { Bounds } from '../lib/cell-bounds.js';
import { isKnownClass, useAlertsT } from '../strings.js';

export interface AlertsListProps {
  /** "Show on map": the app selects the cell and moves the map to `bounds` (null when they could not be computed). */
  onOpenCell: (cell: string, bounds: Bounds | null) => void;
  /** Whether the user may acknowledge (viewers may not). */
  canAck: boolean;
}

const PAGE = 50;
const MAX_LIMIT = 200;

function formatDay(iso: string, lang: 'zh' | 'en'): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Hot-spot alerts of the user's stores: what, where and how strong, acknowledge, and a link to the map. */
export function AlertsList({ onOpenCell, canAck }: AlertsListProps) {
  const t = useT();
  const ta = useAlertsT();
  const [onlyUnacked, setOnlyUnacked] = useState(true);
  const [limit, setLimit] = useState(PAGE);
  const query = useAlerts({ acked: onlyUnacked ? false : undefined, limit });
  const ack = useAckAlert();
  const items = query.data?.items;
  const state = query.isPending ? 'loading' : query.isError ? 'error' : items?.length ? 'ready' : 'empty';

  return (
    <section className="hw-alerts" data-testid="alerts" data-state={state} aria-label={ta('alerts.title')} aria-busy={query.isPending || query.isPlaceholderData}>
      <header className="hw-alerts__head">
        <h3 className="hw-alerts__title">{ta('alerts.title')}</h3>
        <div className="hw-segmented" role="group" aria-label={ta('alerts.show')}>
          <button type="button" className="hw-segmented__item" data-testid="alerts-unacked" aria-pressed={onlyUnacked} onClick={() => setOnlyUnacked(true)}>
            {ta('alerts.unacked')}
          </button>
          <button type="button" className="hw-segmented__item" data-testid="alerts-all" aria-pressed={!onlyUnacked} onClick={() => setOnlyUnacked(false)}>
            {ta('alerts.all')}
          </button>
        </div>
      </header>
      {state === 'loading' && <p className="hw-alerts__state hw-muted">{t('common.loading')}</p>}
      {state === 'error' && (
        <p className="hw-alerts__state hw-error" role="alert">
          {ta('alerts.error', { message: query.error?.message ?? '' })}{' '}
          <button type="button" className="hw-button" data-testid="alerts-retry" onClick={() => void query.refetch()}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {state === 'empty' && <p className="hw-alerts__state hw-muted">{onlyUnacked ? ta('alerts.emptyUnacked') : ta('alerts.empty')}</p>}
      {ack.error && (
        <p className="hw-alerts__state hw-error" role="alert" data-testid="alerts-ack-error">
          {ta('alerts.ackError', { message: ack.error.message })}
        </p>
      )}
      {items && items.length > 0 && (
        <ul className="hw-alerts__list">
          {items.map((alert) => (
            <AlertRow
              key={alert.id}
              alert={alert}
              canAck={canAck}
              acking={ack.isPending && ack.variables?.id === alert.id}
              onAck={() => ack.mutate({ id: alert.id })}
              onOpenCell={onOpenCell}
            />
          ))}
        </ul>
      )}
      {query.data?.nextBeforeId !== null && query.data?.nextBeforeId !== undefined && limit < MAX_LIMIT && (
        <button type="button" className="hw-button hw-alerts__more" data-testid="alerts-more" onClick={() => setLimit((l) => Math.min(MAX_LIMIT, l + PAGE))}>
          {ta('alerts.more')}
        </button>
      )}
    </section>
  );
}

function AlertRow({ alert, canAck, acking, onAck, onOpenCell }: { alert: AlertItem; canAck: boolean; acking: boolean; onAck: () => void; onOpenCell: AlertsListProps['onOpenCell'] }) {
  const ta = useAlertsT();
  const [lang] = useLang();
  const cls = alert.class;
  const title = isKnownClass(cls) ? ta(`class.${cls}`) : cls;
  const meaning = isKnownClass(cls) ? ta(`meaning.${cls}`) : alert.meaning;
  const open = () => {
    cellToBounds(alert.cell).then(
      (bounds) => onOpenCell(alert.cell, bounds),
      () => onOpenCell(alert.cell, null),
    );
  };
  return (
    <li className={`hw-alert${alert.ackedAt ? ' hw-alert--acked' : ''}`} data-testid="alert" data-alert-id={alert.id} data-cell={alert.cell} data-acked={alert.ackedAt ? '1' : '0'}>
      <div className="hw-alert__head">
        <span className={`hw-alert__class hw-alert__class--${alert.class}`}>{title}</span>
        <span className="hw-alert__store">
          {alert.storeCode} {alert.storeName}
        </span>
      </div>
      <p className="hw-alert__meaning">{meaning}</p>
      <p className="hw-alert__meta">{ta('alerts.counts', { week: alert.weekCount, total: alert.totalCount, weeks: alert.weeks, z: alert.z.toFixed(2) })}</p>
      <p className="hw-alert__meta">{ta('alerts.raised', { when: formatDay(alert.createdAt, lang), week: alert.week.slice(0, 10) })}</p>
      {alert.ackedAt && <p className="hw-alert__meta">{ta('alerts.acked', { who: alert.ackedBy ?? '–', when: formatDay(alert.ackedAt, lang) })}</p>}
      <div className="hw-alert__actions">
        <button type="button" className="hw-button hw-button--primary" data-testid="alert-open" onClick={open}>
          {ta('alerts.openMap')}
        </button>
        {canAck && !alert.ackedAt && (
          <button type="button" className="hw-button" data-testid="alert-ack" disabled={acking} onClick={onAck}>
            {ta('alerts.ack')}
          </button>
        )}
      </div>
    </li>
  );
}
