import '../alerts.css';
import { useState } from 'react';
import { useLang, useT } from '../../../i18n/i18n.js';
import { MAX_ALERTS, useAckAlerts, useAlerts } from '../api/use-alerts.js';
import type { AlertItem } from '../api/use-alerts.js';
import { cellToBounds } from '../lib/cell-bounds.js';
import type { Bounds } from '../lib/cell-bounds.js';
import { cardsByCell, groupsByStore, hotRunWeeks, strengthOf, unackedCardCount } from '../lib/group.js';
import type { AlertCard, AlertGrouping } from '../lib/group.js';
import { isKnownClass, useAlertsT } from '../strings.js';

export interface AlertsListProps {
  /** "Show on map": the app selects the cell and moves the map to `bounds` (null when they could not be computed). */
  onOpenCell: (cell: string, bounds: Bounds | null) => void;
  /** Whether the user may acknowledge (viewers may not). */
  canAck: boolean;
  /** One card per cell (analysts), or the user's stores each with a card per cell (store managers). */
  grouping: AlertGrouping;
}

const PAGE = 50;

function formatDay(iso: string, lang: 'zh' | 'en'): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', { dateStyle: 'medium', timeStyle: 'short' });
}

/** The number of alert cards still to acknowledge, for the button that opens the alerts. */
export function AlertsBadge({ grouping }: { grouping: AlertGrouping }) {
  const ta = useAlertsT();
  const query = useAlerts({ acked: false, limit: MAX_ALERTS });
  const items = query.data?.items;
  if (!items) return null;
  const count = unackedCardCount(items, grouping);
  if (count === 0) return null;
  return (
    <span className="hw-count-badge" data-testid="alerts-badge" data-count={count} aria-label={ta('alerts.badge', { count })}>
      {count > 99 ? '99+' : count}
    </span>
  );
}

/** Hot-spot alerts of the user's stores, grouped: what, where and how strong, acknowledge, and a link to the map. */
export function AlertsList({ onOpenCell, canAck, grouping }: AlertsListProps) {
  const t = useT();
  const ta = useAlertsT();
  const [onlyUnacked, setOnlyUnacked] = useState(true);
  const [limit, setLimit] = useState(PAGE);
  // the alerts still to acknowledge come all at once (up to one ackMany's worth), so that 全部确认 means all
  const query = useAlerts({ acked: onlyUnacked ? false : undefined, limit: onlyUnacked ? MAX_ALERTS : limit });
  const ack = useAckAlerts();
  const items = query.data?.items;
  const state = query.isPending ? 'loading' : query.isError ? 'error' : items?.length ? 'ready' : 'empty';
  const unackedIds = (items ?? []).filter((a) => a.ackedAt === null).map((a) => a.id);
  const cardProps = (card: AlertCard<AlertItem>) => ({
    card,
    grouping,
    canAck,
    acking: ack.isPending && card.unackedIds.some((id) => ack.variables?.ids.includes(id)),
    onAck: () => ack.mutate({ ids: card.unackedIds }),
    onOpenCell,
  });

  return (
    <section className="hw-alerts" data-testid="alerts" data-state={state} data-grouping={grouping} aria-label={ta('alerts.title')} aria-busy={query.isPending || query.isPlaceholderData}>
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
      {canAck && unackedIds.length > 0 && (
        <button
          type="button"
          className="hw-button hw-alerts__ack-all"
          data-testid="alerts-ack-all"
          disabled={ack.isPending}
          onClick={() => ack.mutate({ ids: unackedIds.slice(0, MAX_ALERTS) })}
        >
          {ta('alerts.ackAll', { count: unackedIds.length })}
        </button>
      )}
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
      {items && items.length > 0 && grouping === 'cell' && (
        <ul className="hw-alerts__list">
          {cardsByCell(items).map((card) => (
            <AlertCardView key={card.key} {...cardProps(card)} />
          ))}
        </ul>
      )}
      {items &&
        items.length > 0 &&
        grouping === 'store' &&
        groupsByStore(items).map((group) => (
          <section key={group.storeId} className="hw-alerts__store" data-testid="alert-store-group" data-store-id={group.storeId}>
            <h4 className="hw-alerts__store-title" title={group.storeCode}>{ta('alerts.storeGroup', { store: group.storeName, count: group.cards.length })}</h4>
            <ul className="hw-alerts__list">
              {group.cards.map((card) => (
                <AlertCardView key={card.key} {...cardProps(card)} />
              ))}
            </ul>
          </section>
        ))}
      {!onlyUnacked && query.data?.nextBeforeId !== null && query.data?.nextBeforeId !== undefined && limit < MAX_ALERTS && (
        <button type="button" className="hw-button hw-alerts__more" data-testid="alerts-more" onClick={() => setLimit((l) => Math.min(MAX_ALERTS, l + PAGE))}>
          {ta('alerts.more')}
        </button>
      )}
    </section>
  );
}

interface AlertCardViewProps {
  card: AlertCard<AlertItem>;
  grouping: AlertGrouping;
  canAck: boolean;
  acking: boolean;
  onAck: () => void;
  onOpenCell: AlertsListProps['onOpenCell'];
}

/** One place: the newest alert speaks for it; the stores around it (by cell); one acknowledgement for all of them. */
function AlertCardView({ card, grouping, canAck, acking, onAck, onOpenCell }: AlertCardViewProps) {
  const ta = useAlertsT();
  const [lang] = useLang();
  const alert = card.alerts[0]!;
  const cls = alert.class;
  const title = isKnownClass(cls) ? ta(`class.${cls}`) : cls;
  const meaning = isKnownClass(cls) ? ta(`meaning.${cls}`) : alert.meaning;
  const run = hotRunWeeks(alert.episode, alert.week);
  const acked = card.unackedIds.length === 0;
  const ackedBy = card.alerts.find((a) => a.ackedAt !== null);
  const open = () => {
    cellToBounds(card.cell).then(
      (bounds) => onOpenCell(card.cell, bounds),
      () => onOpenCell(card.cell, null),
    );
  };
  return (
    <li
      className={`hw-alert${acked ? ' hw-alert--acked' : ''}`}
      data-testid="alert"
      data-alert-id={alert.id}
      data-alert-ids={card.alerts.map((a) => a.id).join(',')}
      data-cell={card.cell}
      data-acked={acked ? '1' : '0'}
    >
      <div className="hw-alert__head">
        <span className={`hw-alert__class hw-alert__class--${alert.class}`}>{title}</span>
        <span className="hw-alert__plain" data-testid="alert-plain">
          {ta(`alerts.strength.${strengthOf(alert.z)}`)} · {run > 1 ? ta('alerts.run', { weeks: run }) : ta('alerts.runOne')}
        </span>
      </div>
      {grouping === 'cell' && (
        <p className="hw-alert__store">{ta('alerts.stores', { stores: card.stores.map((s) => s.name).join(lang === 'zh' ? '、' : ', ') })}</p>
      )}
      <p className="hw-alert__meaning">{meaning}</p>
      <p className="hw-alert__meta">{ta('alerts.counts', { week: alert.weekCount, total: alert.totalCount, weeks: alert.weeks })}</p>
      <p className="hw-alert__meta">{ta('alerts.raised', { when: formatDay(alert.createdAt, lang), week: alert.week.slice(0, 10) })}</p>
      {acked && ackedBy?.ackedAt && (
        <p className="hw-alert__meta">{ta('alerts.acked', { who: ackedBy.ackedByName ?? ackedBy.ackedBy ?? '–', when: formatDay(ackedBy.ackedAt, lang) })}</p>
      )}
      <div className="hw-alert__actions">
        <button type="button" className="hw-button hw-button--primary" data-testid="alert-open" onClick={open}>
          {ta('alerts.openMap')}
        </button>
        {canAck && !acked && (
          <button type="button" className="hw-button" data-testid="alert-ack" disabled={acking} onClick={onAck}>
            {ta('alerts.ack')}
          </button>
        )}
      </div>
    </li>
  );
}
