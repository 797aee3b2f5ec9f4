import '../review.css';
import { useState } from 'react';
import { MAX_NOTE_CHARS } from '../../../../server/domain/closure.js';
import { RESOLUTIONS } from '../../../../server/domain/incident.js';
import type { Resolution } from '../../../../server/domain/incident.js';
import { useLang, useT } from '../../../i18n/i18n.js';
import { en as EN_MESSAGES } from '../../../i18n/strings.js';
import type { MessageKey } from '../../../i18n/strings.js';
import { errorCode } from '../../../lib/trpc.js';
import { useComment, useIncident, useReview, useTransition } from '../api/use-incident.js';
import type { IncidentDetail as Detail, TransitionInput } from '../api/use-incident.js';
import { formatTime } from '../lib/format.js';
import { REJECT_REASONS } from '../../../../server/domain/closure.js';
import type { RejectReason } from '../../../../server/domain/closure.js';
import { useReviewT } from '../review-strings.js';

export interface IncidentDetailProps {
  id: number;
  /** Back to the list the incident was opened from (absent when there is none). */
  onBack?: () => void;
  onClose: () => void;
}

type Status = TransitionInput['to'];

/** One incident: its fields, the AI photo, status and SLA, the actions the user may take, the timeline. */
export function IncidentDetail({ id, onBack, onClose }: IncidentDetailProps) {
  const t = useT();
  const query = useIncident(id);
  return (
    <aside className="hw-panel hw-detail" data-testid="incident-detail" data-incident-id={id} aria-label={t('detail.title', { id })}>
      <header className="hw-panel__header">
        {onBack && (
          <button type="button" className="hw-button hw-button--ghost" data-testid="detail-back" onClick={onBack}>
            ← {t('detail.back')}
          </button>
        )}
        <h2 className="hw-panel__title">{t('detail.title', { id })}</h2>
        <button type="button" className="hw-button hw-button--ghost" data-testid="detail-close" aria-label={t('common.close')} onClick={onClose}>
          ✕
        </button>
      </header>
      <div className="hw-detail__body">
        {query.isPending && <p className="hw-panel__state">{t('common.loading')}</p>}
        {/* a missing incident stays missing: no 重试, only the way back */}
        {query.isError && errorCode(query.error) === 'NOT_FOUND' && (
          <p className="hw-panel__state" role="alert" data-testid="detail-not-found">
            {t('detail.notFound')}
          </p>
        )}
        {query.isError && errorCode(query.error) !== 'NOT_FOUND' && (
          <p className="hw-panel__state hw-error" role="alert">
            {`${t('detail.error')} ${query.error.message}`}{' '}
            <button type="button" className="hw-button" onClick={() => void query.refetch()}>
              {t('common.retry')}
            </button>
          </p>
        )}
        {query.data && <DetailBody detail={query.data} />}
      </div>
      {/* a detection awaiting review: the decision sits under the photo, always in view (the body scrolls) */}
      {query.data?.actions.review && <ReviewBar key={`${query.data.incident.id}:${query.data.incident.version}`} detail={query.data} />}
    </aside>
  );
}

function DetailBody({ detail }: { detail: Detail }) {
  const t = useT();
  const tr = useReviewT();
  const [lang] = useLang();
  const { incident: inc, events, sla } = detail;
  const photo = inc.photoUrls[0];
  // the AI's label is a category code (red_light): shown in the UI's words when it is one
  const labelKey = `category.${inc.aiLabel ?? ''}`;
  const aiLabel = inc.aiLabel === null ? '' : labelKey in EN_MESSAGES ? t(labelKey as MessageKey) : inc.aiLabel;
  const field = (label: MessageKey, value: string | number | null | undefined, testId?: string) =>
    value === null || value === undefined || value === '' ? null : (
      <div className="hw-detail__field" data-testid={testId}>
        <dt>{t(label)}</dt>
        <dd>{value}</dd>
      </div>
    );
  return (
    <>
      <div className="hw-detail__head">
        <span className={`hw-badge hw-badge--sev${inc.severity}`}>{t('incident.severity', { severity: inc.severity })}</span>
        <strong>{t(`category.${inc.category}` as MessageKey)}</strong>
        <span className={`hw-status hw-status--${inc.status}`} data-testid="detail-status" data-status={inc.status}>
          {t(`status.${inc.status}` as MessageKey)}
        </span>
        {sla.overdue && (
          <span className="hw-badge hw-badge--overdue" data-testid="detail-overdue">
            {t('status.overdue')}
          </span>
        )}
        {!sla.overdue && sla.dueSoon && <span className="hw-badge hw-badge--soon">{t('detail.dueSoon')}</span>}
      </div>
      {photo && (
        <figure className="hw-detail__photo">
          <img src={photo} alt={t('detail.photoAlt', { label: aiLabel })} data-testid="detail-photo" loading="lazy" />
          {inc.aiLabel && (
            <figcaption>
              {t('detail.ai', { label: aiLabel, confidence: inc.aiConfidence === null ? '–' : `${Math.round(inc.aiConfidence * 100)}%` })}
            </figcaption>
          )}
        </figure>
      )}
      <dl className="hw-detail__fields">
        {field('detail.kind', t(`kind.${inc.kind}` as MessageKey))}
        {field('detail.occurredAt', formatTime(inc.occurredAt, lang))}
        {field('detail.due', formatTime(inc.dueAt, lang), 'detail-due')}
        {field('detail.closedAt', inc.closedAt ? formatTime(inc.closedAt, lang) : null)}
        {field('detail.resolution', inc.resolution ? t(`resolution.${inc.resolution}` as MessageKey) : null)}
        {field('detail.review', inc.review ? t(`review.${inc.review}` as MessageKey) : null)}
        {field('detail.assignee', detail.names.assignee ?? inc.assignee, 'detail-assignee')}
        {field('detail.source', t(`source.${inc.source}` as MessageKey))}
        {field('detail.store', detail.names.store ? `${detail.names.store.name}（${detail.names.store.code}）` : null, 'detail-store')}
        {field('detail.city', detail.names.city ? (lang === 'zh' ? (detail.names.city.nameZh ?? detail.names.city.name) : detail.names.city.name) : null)}
        {field('detail.rider', inc.riderId)}
        {field('detail.location', `${inc.lat.toFixed(5)}, ${inc.lng.toFixed(5)}`)}
        {field('detail.description', inc.description)}
      </dl>
      <Actions detail={detail} />
      <h3 className="hw-detail__subtitle">{t('detail.timeline')}</h3>
      {events.length === 0 ? (
        <p className="hw-muted">{t('detail.noEvents')}</p>
      ) : (
        <ol className="hw-timeline" data-testid="timeline">
          {events.map((e) => (
            <li key={e.id} className="hw-timeline__item" data-testid="timeline-event" data-kind={e.kind} data-decision={e.decision ?? undefined}>
              <time dateTime={e.at}>{formatTime(e.at, lang)}</time>
              <span className="hw-timeline__who">{e.actorName ?? e.actor}</span>
              <span className="hw-timeline__what">
                {e.kind === 'comment'
                  ? t('event.comment')
                  : e.kind === 'review' && e.decision
                    ? tr(`review.decision.${e.decision}`)
                    : e.fromStatus
                      ? t('event.transition', { from: t(`status.${e.fromStatus}` as MessageKey), to: t(`status.${e.toStatus}` as MessageKey) })
                      : t('event.created', { to: t(`status.${e.toStatus}` as MessageKey) })}
                {e.resolution && ` · ${t(`resolution.${e.resolution}` as MessageKey)}`}
              </span>
              {e.note && <p className="hw-timeline__note">{e.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

type Form = { to: Status } | null;

/** The actions the server says this user may take now, and only those. */
function Actions({ detail }: { detail: Detail }) {
  const t = useT();
  const { incident: inc, actions } = detail;
  const transition = useTransition();
  const comment = useComment();
  const [form, setForm] = useState<Form>(null);
  const [note, setNote] = useState('');
  const [resolution, setResolution] = useState<Resolution>('rider_coached');
  const [commentText, setCommentText] = useState('');
  const busy = transition.isPending || comment.isPending;
  const error = transition.error ?? comment.error;

  const reset = () => {
    setForm(null);
    setNote('');
  };
  const move = (to: Status, extra: Partial<TransitionInput> = {}) =>
    transition.mutate({ id: inc.id, to, expectedVersion: inc.version, ...extra }, { onSuccess: reset });

  if (!actions.transitions.length && !actions.comment) return null;

  return (
    <section className="hw-actions" data-testid="incident-actions">
      {error && (
        <p className="hw-error" role="alert" data-testid="action-error">
          {errorCode(error) === 'CONFLICT' ? t('actions.conflict', { message: error.message }) : error.message}
        </p>
      )}
      <div className="hw-actions__buttons">
        {actions.transitions.map((to) => (
          <button
            key={to}
            type="button"
            className={`hw-button${to === 'closed' ? ' hw-button--primary' : ''}`}
            data-testid={`action-${to}`}
            disabled={busy}
            onClick={() => (to === 'assigned' || to === 'in_progress' ? move(to) : setForm({ to }))}
          >
            {t(`actions.to.${to}` as MessageKey)}
          </button>
        ))}
      </div>
      {form && (
        <form
          className="hw-actions__form"
          data-testid="action-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (form.to === 'closed') move('closed', { resolution, note });
            else if (form.to === 'dismissed') move('dismissed', { reason: note });
            else move(form.to, note.trim() ? { note } : {});
          }}
        >
          {form.to === 'closed' && (
            <label className="hw-field">
              <span>{t('actions.resolution')}</span>
              <select data-testid="action-resolution" value={resolution} onChange={(e) => setResolution(e.target.value as typeof resolution)}>
                {RESOLUTIONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`resolution.${r}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="hw-field">
            <span>{form.to === 'dismissed' ? t('actions.reason') : t('actions.note')}</span>
            <textarea
              data-testid="action-note"
              value={note}
              maxLength={MAX_NOTE_CHARS}
              required={form.to === 'closed' || form.to === 'dismissed'}
              onChange={(e) => setNote(e.target.value)}
            />
          </label>
          <div className="hw-actions__buttons">
            <button type="submit" className="hw-button hw-button--primary" data-testid="action-submit" disabled={busy}>
              {t(`actions.to.${form.to}` as MessageKey)}
            </button>
            <button type="button" className="hw-button" onClick={reset}>
              {t('actions.cancel')}
            </button>
          </div>
        </form>
      )}
      {actions.comment && (
        <form
          className="hw-actions__comment"
          onSubmit={(e) => {
            e.preventDefault();
            if (commentText.trim()) comment.mutate({ id: inc.id, note: commentText }, { onSuccess: () => setCommentText('') });
          }}
        >
          <input
            type="text"
            data-testid="comment-input"
            placeholder={t('actions.commentPlaceholder')}
            value={commentText}
            maxLength={MAX_NOTE_CHARS}
            onChange={(e) => setCommentText(e.target.value)}
          />
          <button type="submit" className="hw-button" disabled={busy || !commentText.trim()}>
            {t('actions.comment')}
          </button>
        </form>
      )}
    </section>
  );
}

/**
 * The review of an AI detection on one screen with its photo (issue 19): 确认识别 and 标记误报 in a
 * bar at the panel's foot; a false alarm takes one more tap on a quick reason (误检, 图片不清,
 * 非骑手), or words for 其他.
 */
function ReviewBar({ detail }: { detail: Detail }) {
  const t = useT();
  const tr = useReviewT();
  const review = useReview();
  const inc = detail.incident;
  const [rejecting, setRejecting] = useState(false);
  // null: choosing a reason; a string: typing the words for 其他
  const [otherNote, setOtherNote] = useState<string | null>(null);
  const busy = review.isPending;
  const reject = (reason: RejectReason, note?: string) =>
    review.mutate({ id: inc.id, decision: 'rejected', reason, ...(note === undefined ? {} : { note }), expectedVersion: inc.version });

  return (
    <footer className="hw-review-bar" data-testid="review-bar">
      {review.error && (
        <p className="hw-error" role="alert" data-testid="review-error">
          {errorCode(review.error) === 'CONFLICT' ? t('actions.conflict', { message: review.error.message }) : review.error.message}
        </p>
      )}
      {!rejecting && (
        <div className="hw-review-bar__buttons">
          <button
            type="button"
            className="hw-button hw-button--primary"
            data-testid="action-confirm"
            disabled={busy}
            onClick={() => review.mutate({ id: inc.id, decision: 'confirmed', expectedVersion: inc.version })}
          >
            {t('actions.confirm')}
          </button>
          <button type="button" className="hw-button" data-testid="action-reject" disabled={busy} onClick={() => setRejecting(true)}>
            {t('actions.reject')}
          </button>
        </div>
      )}
      {rejecting && otherNote === null && (
        <div className="hw-review-bar__reasons" role="group" aria-label={tr('review.why')} data-testid="reject-reasons">
          <span className="hw-review-bar__why">{tr('review.why')}</span>
          {REJECT_REASONS.map((reason) => (
            <button
              key={reason}
              type="button"
              className="hw-button"
              data-testid={`reject-reason-${reason}`}
              disabled={busy}
              onClick={() => (reason === 'other' ? setOtherNote('') : reject(reason))}
            >
              {tr(`review.reason.${reason}`)}
            </button>
          ))}
          <button type="button" className="hw-button hw-button--ghost" data-testid="reject-cancel" onClick={() => setRejecting(false)}>
            {tr('review.cancel')}
          </button>
        </div>
      )}
      {rejecting && otherNote !== null && (
        <form
          className="hw-review-bar__other"
          onSubmit={(e) => {
            e.preventDefault();
            if (otherNote.trim()) reject('other', otherNote);
          }}
        >
          <textarea
            data-testid="reject-other-note"
            aria-label={tr('review.otherPlaceholder')}
            placeholder={tr('review.otherPlaceholder')}
            required
            maxLength={2000}
            value={otherNote}
            onChange={(e) => setOtherNote(e.target.value)}
          />
          <div className="hw-review-bar__buttons">
            <button type="submit" className="hw-button hw-button--primary" data-testid="reject-other-submit" disabled={busy || !otherNote.trim()}>
              {tr('review.submitOther')}
            </button>
            <button type="button" className="hw-button hw-button--ghost" data-testid="reject-other-back" onClick={() => setOtherNote(null)}>
              {tr('review.cancel')}
            </button>
          </div>
        </form>
      )}
    </footer>
  );
}
