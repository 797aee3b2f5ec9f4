import { lazy, Suspense, useCallback, useState } from 'react';
import { SignInScreen, UserMenu, useMe } from './features/auth/index.js';
import { CellPanel } from './features/incidents/index.js';
import { LanguageToggle, useT } from './i18n/i18n.js';
import type { IncidentFilters } from './lib/filters.js';
import { useUrlState } from './lib/url-state.js';
import type { MapView } from './lib/url-state.js';

// MapLibre and deck.gl are 600 kB gzipped: the sign-in screen must not wait for them. The
// import starts at once (in parallel with auth.me) and the map screen suspends until it is in.
const mapFeature = import('./features/map/index.js');
const RiskMap = lazy(() => mapFeature.then((m) => ({ default: m.RiskMap })));

/** `auth.me` decides the screen: sign-in, or the map. */
export function App() {
  const t = useT();
  const me = useMe();
  if (me.isPending) return <div className="hw-splash">{t('common.loading')}</div>;
  if (me.isError) {
    return (
      <div className="hw-splash hw-error" role="alert">
        {t('common.error', { message: me.error.message })}{' '}
        <button type="button" className="hw-button" onClick={() => void me.refetch()}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  if (!me.data) return <SignInScreen />;
  return <MapScreen user={me.data} />;
}

const NO_FILTERS: IncidentFilters = {};

function MapScreen({ user }: { user: NonNullable<ReturnType<typeof useMe>['data']> }) {
  const t = useT();
  const [url, setUrl] = useUrlState();
  // The URL's view is read once, when the map is created; afterwards the map owns the camera
  // and reports back (a Back navigation does not move the map: deliberate, for now).
  const [initialView] = useState<MapView | null>(url.view);
  const filters = NO_FILTERS;

  const onViewChange = useCallback((view: MapView) => setUrl({ view }, 'replace'), [setUrl]);
  const onCellSelect = useCallback((cell: string) => setUrl({ cell }, 'push'), [setUrl]);
  const onPanelClose = useCallback(() => setUrl({ cell: null }, 'push'), [setUrl]);

  return (
    <div className={`hw-app${url.cell ? ' hw-app--panel' : ''}`}>
      <Suspense fallback={<div className="hw-map hw-map--loading">{t('common.loading')}</div>}>
        <RiskMap
          filters={filters}
          initialView={initialView}
          selectedCell={url.cell}
          onViewChange={onViewChange}
          onCellSelect={onCellSelect}
        />
      </Suspense>
      <header className="hw-topbar">
        <h1 className="hw-topbar__title">{t('app.title')}</h1>
        <div className="hw-topbar__actions">
          <LanguageToggle />
          <UserMenu user={user} />
        </div>
      </header>
      {url.cell && <CellPanel cell={url.cell} filters={filters} onClose={onPanelClose} />}
    </div>
  );
}
