import { useLang, useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import { formatTime } from '../lib/format.js';

export interface IncidentRowItem {
  id: number;
  kind: string;
  category: string;
  severity: number;
  status: string;
  occurredAt: string;
  cell: string;
  /** WGS-84 degrees. */
  lat: number;
  lng: number;
  overdue: boolean;
  review: string | null;
  dueAt?: string | null;
  photoUrl?: string | null;
}

/** One incident in a list; the whole row opens its detail. */
export function IncidentRow({ item, onOpen, showDue = false }: { item: IncidentRowItem; onOpen: (id: number) => void; showDue?: boolean }) {
  const t = useT();
  const [lang] = useLang();
  return (
    <li className="hw-incident" data-testid="incident-row" data-incident-id={item.id} data-cell={item.cell} data-lat={item.lat} data-lng={item.lng} data-kind={item.kind} data-status={item.status} data-photo={item.photoUrl ? '1' : '0'}>
      <button type="button" className="hw-incident__open" onClick={() => onOpen(item.id)}>
        <span className="hw-incident__head">
          <span className={`hw-badge hw-badge--sev${item.severity}`}>{t('incident.severity', { severity: item.severity })}</span>
          <span className="hw-incident__category">{t(`category.${item.category}` as MessageKey)}</span>
          {item.overdue && <span className="hw-badge hw-badge--overdue">{t('status.overdue')}</span>}
          {item.review === 'pending' && <span className="hw-badge hw-badge--review">{t('review.pending')}</span>}
          <span className={`hw-status hw-status--${item.status}`}>{t(`status.${item.status}` as MessageKey)}</span>
        </span>
        <span className="hw-incident__meta">
          <span>{t(`kind.${item.kind}` as MessageKey)}</span>
          <time dateTime={item.occurredAt}>{formatTime(item.occurredAt, lang)}</time>
          {showDue && item.dueAt && <span>{t('incident.due', { time: formatTime(item.dueAt, lang) })}</span>}
        </span>
      </button>
    </li>
  );
}
