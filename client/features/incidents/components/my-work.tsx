import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { MAX_NOTE_CHARS } from '../../../../server/domain/closure.js';
import { RESOLUTIONS } from '../../../../server/domain/incident.js';
import type { Resolution } from '../../../../server/domain/incident.js';
import { useLang, useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import { appNow } from '../../../lib/clock.js';
import { errorCode } from '../../../lib/trpc.js';
import { useCloseIncident } from '../api/use-incident.js';
import { useMyWork } from '../api/use-my-work.js';
import type { MyWork } from '../api/use-my-work.js';
import { relativeDue, splitToday } from '../lib/work-today.js';
import { IncidentRow } from './incident-row.js';

export interface MyWorkProps {
  onIncidentSelect: (id: number) => void;
  onClose: () => void;
  /** Shown above the lists: the store's KPI strip (composed by the app from the stats feature). */
  header?: ReactNode;
}

type WorkItem = MyWork['work']['items'][number];


/** Today's count for the badge: overdue (all of them, from the server) and due before midnight. */
export function todayCount(work: MyWork['work'], now = appNow()): number {
  return splitToday(work.items, now).today.length + Math.max(0, work.overdue - work.items.filter((i) => i.overdue).length);
}

/**
 * A store manager's day: today's work first (overdue and due before midnight, most severe
 * first), each with a close in two taps; then the rest by due time, and the review queue.
 */
export function MyWorkPanel({ onIncidentSelect, onClose, header }: MyWorkProps) {
  const t = useT();
  const query = useMyWork(true);
  const [toast, setToast] = useState<string | null>(null);
  const [nextId, setNextId] = useState<number | null>(null);
  const work = query.data?.work;
  const reviews = query.data?.reviews;
  const now = appNow();
  const split = work ? splitToday(work.items, now) : null;

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 5000);
    return () => clearTimeout(timer);
  }, [toast]);

  const onClosed = (id: number) => {
    // the next due item: the most urgent of today's after this one
    const rest = split?.today.filter((i) => i.id !== id) ?? [];
    setNextId(rest[0]?.id ?? null);
    setToast(rest.length ? t('work.closed', { id }) : t('work.closedLast', { id }));
  };

  return (
    <aside className="hw-panel hw-work" data-testid="my-work" aria-label={t('work.title')}>
      <header className="hw-panel__header">
        <div>
          <h2 className="hw-panel__title">{t('work.title')}</h2>
          {work && (
            <p className="hw-work__summary" data-testid="work-summary">
              {t('work.summary', { total: work.total.toLocaleString(), overdue: work.overdue.toLocaleString(), dueSoon: work.dueSoon.toLocaleString() })}
            </p>
          )}
        </div>
        <button type="button" className="hw-button hw-button--ghost" aria-label={t('common.close')} onClick={onClose}>
          ✕
        </button>
      </header>
      {toast && (
        <p className="hw-toast" role="status" data-testid="work-toast">
          {toast}
        </p>
      )}
      <div className="hw-detail__body">
        {header}
        {query.isPending && <p className="hw-panel__state">{t('common.loading')}</p>}
        {query.isError && (
          <p className="hw-panel__state hw-error" role="alert">
            {t('work.error')} {query.error.message}{' '}
            <button type="button" className="hw-button" onClick={() => void query.refetch()}>
              {t('common.retry')}
            </button>
          </p>
        )}
        {split && (
          <>
            <h3 className="hw-detail__subtitle" data-testid="work-today-title" data-count={split.today.length}>
              {t('work.today', { count: split.today.length.toLocaleString() })}
            </h3>
            <p className="hw-muted">{t('work.todayHint')}</p>
            {split.today.length === 0 ? (
              <p className="hw-panel__state">{t('work.todayEmpty')}</p>
            ) : (
              <ul className="hw-incidents" data-testid="work-today">
                {split.today.map((item) => (
                  <WorkRow key={item.id} item={item} now={now} next={item.id === nextId} onOpen={onIncidentSelect} onClosed={onClosed} />
                ))}
              </ul>
            )}
          </>
        )}
        {reviews && reviews.total > 0 && (
          <>
            <h3 className="hw-detail__subtitle">{t('work.reviews', { total: reviews.total.toLocaleString() })}</h3>
            <ul className="hw-incidents" data-testid="review-queue">
              {reviews.items.map((item) => (
                <IncidentRow key={item.id} item={item} onOpen={onIncidentSelect} showDue />
              ))}
            </ul>
          </>
        )}
        {split && split.later.length > 0 && (
          <>
            <h3 className="hw-detail__subtitle">{t('work.later', { count: split.later.length.toLocaleString() })}</h3>
            <ul className="hw-incidents" data-testid="work-list">
              {split.later.map((item) => (
                <WorkRow key={item.id} item={item} now={now} next={false} onOpen={onIncidentSelect} onClosed={onClosed} />
              ))}
            </ul>
          </>
        )}
        {work && work.total === 0 && <p className="hw-panel__state">{t('work.empty')}</p>}
      </div>
    </aside>
  );
}

interface WorkRowProps {
  item: WorkItem;
  now: Date;
  /** The next item to do after a close: scrolled to and marked. */
  next: boolean;
  onOpen: (id: number) => void;
  onClosed: (id: number) => void;
}

/** One open incident: what and how late, a tap to open it, and a close in two taps (闭环, then confirm). */
function WorkRow({ item, now, next, onOpen, onClosed }: WorkRowProps) {
  const t = useT();
  const [lang] = useLang();
  const close = useCloseIncident();
  const [closing, setClosing] = useState(false);
  const [resolution, setResolution] = useState<Resolution | ''>('');
  const [note, setNote] = useState('');
  const due = relativeDue(item.dueAt, now);
  const ref = (el: HTMLLIElement | null) => {
    if (next && el) el.scrollIntoView({ block: 'nearest' });
  };
  return (
    <li ref={ref} className={`hw-work-row${next ? ' hw-work-row--next' : ''}`} data-testid="work-row" data-incident-id={item.id} data-next={next ? '1' : '0'}>
      <button type="button" className="hw-work-row__open" onClick={() => onOpen(item.id)}>
        <span className={`hw-badge hw-badge--sev${item.severity}`}>{t('incident.severity', { severity: item.severity })}</span>
        <span className="hw-work-row__what">
          {t(`category.${item.category}` as MessageKey)} · {t(`status.${item.status}` as MessageKey)}
        </span>
        {due && (
          <span className={`hw-work-row__due${due.kind === 'overdue' ? ' hw-work-row__due--late' : ''}`} data-testid="work-due">
            {t(`work.${due.kind}.${due.unit}` as MessageKey, { value: due.value.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en') })}
          </span>
        )}
      </button>
      {!closing ? (
        <button type="button" className="hw-button hw-button--primary hw-work-row__close" data-testid="work-close" onClick={() => setClosing(true)}>
          {t('work.close')}
        </button>
      ) : (
        <form
          className="hw-work-row__form"
          data-testid="work-close-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!resolution || !note.trim()) return;
            close.mutate({ id: item.id, expectedVersion: item.version, resolution, note }, { onSuccess: () => onClosed(item.id) });
          }}
        >
          <label className="hw-field">
            <span>
              {t('actions.resolution')} <abbr title={t('work.required')}>*</abbr>
            </span>
            <select data-testid="work-resolution" required value={resolution} onChange={(e) => setResolution(e.target.value as Resolution)}>
              <option value="" disabled>
                {t('work.resolutionPick')}
              </option>
              {RESOLUTIONS.map((r) => (
                <option key={r} value={r}>
                  {t(`resolution.${r}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label className="hw-field">
            <span>
              {t('actions.note')} <abbr title={t('work.required')}>*</abbr>
            </span>
            <textarea data-testid="work-note" required maxLength={MAX_NOTE_CHARS} value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          {close.error && (
            <p className="hw-error" role="alert">
              {errorCode(close.error) === 'CONFLICT' ? t('actions.conflict', { message: close.error.message }) : close.error.message}
            </p>
          )}
          <div className="hw-work-row__bar">
            <button type="submit" className="hw-button hw-button--primary" data-testid="work-close-confirm" disabled={close.isPending || !resolution || !note.trim()}>
              {t('work.closeConfirm')}
            </button>
            <button type="button" className="hw-button" onClick={() => setClosing(false)}>
              {t('actions.cancel')}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
