import type { LiveUpdates } from '../api/use-live-updates.js';
import { useLiveT } from '../strings.js';

export interface LiveBadgeProps {
  live: LiveUpdates;
}

/** A dot saying whether the stream is live, and "3 new since 08:00" until the user marks them seen. */
export function LiveBadge({ live }: LiveBadgeProps) {
  const t = useLiveT();
  const time = live.since?.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false }) ?? '';
  return (
    <span className="hw-live">
      <span
        className={`hw-live__dot${live.connected ? ' hw-live__dot--on' : ''}`}
        data-testid="live-status"
        data-connected={live.connected}
        title={t(live.connected ? 'live.on' : 'live.off')}
        aria-label={t(live.connected ? 'live.on' : 'live.off')}
        role="img"
      />
      {live.newCount > 0 && (
        <button type="button" className="hw-button hw-button--ghost hw-live__new" data-testid="live-new" title={t('live.viewed')} onClick={live.markViewed}>
          {t('live.new', { count: live.newCount, time })}
        </button>
      )}
    </span>
  );
}
