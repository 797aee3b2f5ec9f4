import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { firstScreenRequested } from './boot/first-screen.js';
import { SignInScreen, UserMenu, useMe } from './features/auth/index.js';
import type { SessionUser } from './features/auth/index.js';
import { ExportLinks, FiltersPanel } from './features/filters/index.js';
import { MyWorkPanel, todayCount } from './features/incidents/components/my-work.js';
import { useMyWork } from './features/incidents/api/use-my-work.js';
import type { CameraRequest, MapSummary } from './features/map/index.js';
import { useMapPrefetch } from './features/map/prefetch.js';
// small and the first query anyway; from its own file so the lazy map chunk stays out of the entry
import { useClientConfig } from './features/map/api/use-client-config.js';
// light too (a query hook and a pure function): a ranking click flies to the store
import { useStores } from './features/map/api/use-stores.js';
import { storesBounds } from './features/map/lib/store-bounds.js';
import { AdminEntry } from './features/admin/index.js';
import { LiveBadge, useLiveUpdates } from './features/live/index.js';
// The outlines are drawn on the first screen; the countermeasure panels load when opened.
import { useCountermeasureLayer } from './features/countermeasures/api/use-countermeasures.js';
import { VERDICT_COLOR } from './features/countermeasures/lib/verdict.js';
import { KpiCards } from './features/stats/components/kpi-cards.js';
import { KpiStrip } from './features/stats/components/kpi-strip.js';
import { LanguageToggle, useT } from './i18n/i18n.js';
import type { Bbox, FilterState } from './lib/filters.js';
import { appNow } from './lib/clock.js';
import { toQueryFilters } from './lib/filters.js';
import { useUrlState } from './lib/url-state.js';
import type { MapMode, MapView, Metric } from './lib/url-state.js';

// MapLibre and deck.gl are 600 kB gzipped: the sign-in screen must not wait for them. The
// import starts as soon as the first hexbins request has left (boot/first-screen.ts: one round
// trip for auth.me and the stores) and the map screen suspends until it is in.
const mapFeature = firstScreenRequested.then(() => import('./features/map/index.js'));
const RiskMap = lazy(() => mapFeature.then((m) => ({ default: m.RiskMap })));
const StorePicker = lazy(() => mapFeature.then((m) => ({ default: m.StorePicker })));
// Not on the first screen: the charts (the dashboard), alerts, AI trust, a hexagon's or an
// incident's panel, countermeasures. Each loads when first shown (bench:ui prints the split).
const Dashboard = lazy(() => import('./features/stats/index.js').then((m) => ({ default: m.Dashboard })));
const AlertsList = lazy(() => import('./features/alerts/index.js').then((m) => ({ default: m.AlertsList })));
const AlertsBadge = lazy(() => import('./features/alerts/index.js').then((m) => ({ default: m.AlertsBadge })));
const AiTrustCard = lazy(() => import('./features/ai-trust/index.js').then((m) => ({ default: m.AiTrustCard })));
const CellPanel = lazy(() => import('./features/incidents/index.js').then((m) => ({ default: m.CellPanel })));
const CellExposure = lazy(() => import('./features/map/components/cell-exposure.js').then((m) => ({ default: m.CellExposure })));
const IncidentDetail = lazy(() => import('./features/incidents/index.js').then((m) => ({ default: m.IncidentDetail })));
const countermeasures = () => import('./features/countermeasures/index.js');
const CellCountermeasures = lazy(() => countermeasures().then((m) => ({ default: m.CellCountermeasures })));
const CountermeasureForm = lazy(() => countermeasures().then((m) => ({ default: m.CountermeasureForm })));
const CountermeasurePanel = lazy(() => countermeasures().then((m) => ({ default: m.CountermeasurePanel })));

/** `auth.me` decides the screen: sign-in, or the map. */
export function App() {
  const t = useT();
  const me = useMe();
  // The map's first queries count "the last N days" from the server's clock (client/lib/clock.ts),
  // which comes with the configuration: wait for it (a failed one falls back to this clock).
  const config = useClientConfig();
  if (me.isPending || config.isPending) return <div className="hw-splash">{t('common.loading')}</div>;
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

const STORE_MAX_ZOOM = 14;
const CITY_MAX_ZOOM = 12;

/**
 * The map screen: the map fills the window; filters, KPIs and the store picker sit in a side
 * panel (a bottom sheet on phones, opened from the top bar); the hexagon's list, an incident's
 * detail or the user's work in the right panel (also a bottom sheet on phones).
 */
function MapScreen({ user }: { user: SessionUser }) {
  const t = useT();
  const [url, setUrl] = useUrlState();
  useMapPrefetch();
  // The URL's view is read once, when the map is created; afterwards the map owns the camera
  // and reports back (a Back navigation does not move the map: deliberate, for now).
  const [initialView] = useState<MapView | null>(url.view);
  // An alert link (`/?cell=<h3>` from a Feishu card) without a view opens the map at that cell.
  const [focusCell] = useState<string | null>(url.view ? null : url.cell);
  const [camera, setCamera] = useState<CameraRequest | null>(null);
  const [summary, setSummary] = useState<MapSummary>({ total: null, loading: true, error: false });
  // The first hexagons' answer goes first: what the first frame does not show (the KPIs, the work
  // list's badge, countermeasure outlines) is asked for once it is in, not alongside it.
  const [firstAnswerIn, setFirstAnswerIn] = useState(false);
  if (!firstAnswerIn && (summary.total !== null || summary.error)) setFirstAnswerIn(true);
  const [filtersOpen, setFiltersOpen] = useState(false);
  // Work first: a store manager on a phone opens on today's work (the map is one tap away), and
  // `?work=1` (the link in a Feishu morning card) opens on it anywhere.
  const [workOpen, setWorkOpen] = useState(
    () =>
      new URLSearchParams(window.location.search).get('work') === '1' ||
      (user.role === 'store_manager' && window.matchMedia('(max-width: 640px)').matches && !url.cell && url.incident === null),
  );
  // The cell a new countermeasure is being made from (the form is not worth a link).
  const [cmDraft, setCmDraft] = useState<string | null>(null);
  const cmLayer = useCountermeasureLayer(firstAnswerIn);
  const outlines = useMemo(
    () => (cmLayer.data ?? []).flatMap((c) => c.cells.map((cell) => ({ cell, color: VERDICT_COLOR[c.verdict] }))),
    [cmLayer.data],
  );

  // Presets are turned into timestamps at local midnight, so the same state gives the same query all day.
  const filterKey = JSON.stringify(url.filters);
  // Days picked (a chart's bar, a date range) are the cities' days, as the charts count them.
  const config = useClientConfig();
  const timeZone = config.data?.timeZone ?? null;
  // the server's now once the configuration is in (client/lib/clock.ts)
  const configAt = config.dataUpdatedAt;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the filters by value (filterKey): a new url.filters object with the same content must not change the query; configAt: the server's clock has come
  const filters = useMemo(() => toQueryFilters(url.filters, appNow(), timeZone), [filterKey, timeZone, configAt]);

  const flyTo = useCallback((bounds: Bbox, maxZoom: number) => setCamera((c) => ({ bounds, maxZoom, seq: (c?.seq ?? 0) + 1 })), []);
  const onViewChange = useCallback((view: MapView) => setUrl({ view }, 'replace'), [setUrl]);
  const onCellSelect = useCallback(
    (cell: string) => {
      setFiltersOpen(false);
      setCmDraft(null);
      setUrl({ cell, incident: null, countermeasure: null }, 'push');
    },
    [setUrl],
  );
  const onFilters = useCallback((next: FilterState) => setUrl({ filters: next }, 'push'), [setUrl]);
  const onMetricChange = useCallback((metric: Metric) => setUrl({ metric }, 'replace'), [setUrl]);
  const onModeChange = useCallback((mode: MapMode) => setUrl({ mode }, 'replace'), [setUrl]);
  const onExtrudedChange = useCallback((extruded: boolean) => setUrl({ extruded }, 'replace'), [setUrl]);
  const onIncidentSelect = useCallback((incident: number) => setUrl({ incident }, 'push'), [setUrl]);
  const stores = useStores();
  /** A store picked outside the store picker (the ranking): the camera follows, across cities. */
  const flyToStore = (storeId: number) => {
    const store = stores.data?.find((s) => s.id === storeId);
    if (store) flyTo(storesBounds([store]), STORE_MAX_ZOOM);
  };

  const live = useLiveUpdates(filters, url.incident);

  const canWork = user.role !== 'viewer';
  // analysts see a hot cell once (with the stores around it); a store's people see their store's
  const alertGrouping = user.role === 'store_manager' || user.role === 'viewer' ? 'store' : 'cell';
  // Unless the work list is the first screen (a store manager's phone, `?work=1`).
  const myWork = useMyWork(canWork && (firstAnswerIn || workOpen));
  const todo = myWork.data ? todayCount(myWork.data.work) : null;
  const ownStores = useMemo(() => ({ storeIds: [...user.storeIds] }), [user.storeIds]);
  const panel =
    url.incident !== null
      ? 'incident'
      : url.countermeasure !== null
        ? 'countermeasure'
        : cmDraft && canWork
          ? 'countermeasure-form'
          : url.cell
            ? 'cell'
            : workOpen && canWork
              ? 'work'
              : null;

  return (
    <div className={`hw-app${panel ? ' hw-app--panel' : ''}${filtersOpen ? ' hw-app--filters' : ''}`}>
      <Suspense fallback={<div className="hw-map hw-map--loading">{t('common.loading')}</div>}>
        <RiskMap
          filters={filters}
          metric={url.metric}
          mode={url.mode}
          extruded={url.extruded}
          initialView={initialView}
          focusCell={focusCell}
          selectedCell={url.cell}
          camera={camera}
          onViewChange={onViewChange}
          onCellSelect={onCellSelect}
          onMetricChange={onMetricChange}
          onModeChange={onModeChange}
          onExtrudedChange={onExtrudedChange}
          onSummary={setSummary}
          pulses={live.pulses}
          outlines={outlines}
        />
      </Suspense>
      <header className="hw-topbar">
        <h1 className="hw-topbar__title">{t('app.title')}</h1>
        <div className="hw-topbar__actions">
          <LiveBadge live={live} />
          <button
            type="button"
            className="hw-button hw-button--ghost hw-topbar__filters"
            data-testid="filters-toggle"
            aria-expanded={filtersOpen}
            onClick={() => setFiltersOpen((o) => !o)}
          >
            {t('filters.title')}
          </button>
          {canWork && (
            <button
              type="button"
              className="hw-button hw-button--ghost"
              data-testid="my-work-toggle"
              aria-pressed={panel === 'work'}
              aria-label={t('work.button')}
              onClick={() => {
                setFiltersOpen(false);
                setUrl({ cell: null, incident: null }, 'push');
                setWorkOpen((o) => !o || panel !== 'work');
              }}
            >
              {/* On a phone the top bar has no room for the words: a checklist icon stands in. */}
              <svg className="hw-topbar__icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                <path d="M2 4l1.5 1.5L6 3M2 9l1.5 1.5L6 8M8.5 4.5H14M8.5 9.5H14M8.5 13.5H14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" fill="none" />
              </svg>
              <span className="hw-topbar__label">{t('work.button')}</span>
              {todo !== null && todo > 0 && (
                <span className="hw-count-badge" data-testid="my-work-badge" aria-label={t('work.badge', { count: todo })}>
                  {todo > 99 ? '99+' : todo}
                </span>
              )}
            </button>
          )}
          <Suspense fallback={null}>
            <Dashboard
              filters={filters}
              onFilter={(patch) => {
                setUrl({ filters: { ...url.filters, ...patch } }, 'push');
                if (patch.storeIds?.length === 1) flyToStore(patch.storeIds[0]!);
              }}
              badge={
                <Suspense fallback={null}>
                  <AlertsBadge grouping={alertGrouping} />
                </Suspense>
              }
              extra={(close) => (
                <Suspense fallback={<p className="hw-muted">{t('common.loading')}</p>}>
                  <AlertsList
                    canAck={canWork}
                    grouping={alertGrouping}
                    onOpenCell={(cell, bounds) => {
                      close();
                      onCellSelect(cell);
                      if (bounds) flyTo(bounds, STORE_MAX_ZOOM);
                    }}
                  />
                  <AiTrustCard canConfirm={canWork} />
                </Suspense>
              )}
            />
          </Suspense>
          <AdminEntry role={user.role} />
          <LanguageToggle />
          <UserMenu user={user} />
        </div>
      </header>
      <div className="hw-side" data-testid="side-panel">
        <div className="hw-side__sheet-head">
          <strong>{t('filters.title')}</strong>
          <button type="button" className="hw-button hw-button--ghost" data-testid="filters-close" aria-label={t('common.close')} onClick={() => setFiltersOpen(false)}>
            ✕
          </button>
        </div>
        <Suspense fallback={<p className="hw-muted">{t('common.loading')}</p>}>
          <StorePicker
            storeId={url.filters.storeIds.length === 1 ? url.filters.storeIds[0]! : null}
            cityId={url.filters.cityIds.length === 1 ? url.filters.cityIds[0]! : null}
            onStore={(store) => {
              setUrl({ filters: { ...url.filters, storeIds: store ? [store.id] : [], cityIds: [] } }, 'push');
              if (store) flyTo(store.bounds, STORE_MAX_ZOOM);
            }}
            onCity={(city) => {
              setUrl({ filters: { ...url.filters, cityIds: city ? [city.id] : [], storeIds: [] } }, 'push');
              if (city) flyTo(city.bounds, CITY_MAX_ZOOM);
            }}
          />
        </Suspense>
        {firstAnswerIn && <KpiCards filters={filters} onFilter={(patch) => setUrl({ filters: { ...url.filters, ...patch } }, 'push')} />}
        <FiltersPanel value={url.filters} onChange={onFilters} matching={summary.total} loading={summary.loading} />
        <ExportLinks filters={filters} resolution={8} />
      </div>
      <Suspense fallback={null}>
        {panel === 'incident' && (
          <IncidentDetail
            id={url.incident!}
            onBack={url.cell ? () => setUrl({ incident: null }, 'push') : workOpen ? () => setUrl({ incident: null }, 'push') : undefined}
            onClose={() => {
              setWorkOpen(false);
              setUrl({ incident: null, cell: null }, 'push');
            }}
          />
        )}
        {panel === 'cell' && (
          <CellPanel
            cell={url.cell!}
            filters={filters}
            onClose={() => setUrl({ cell: null }, 'push')}
            onIncidentSelect={onIncidentSelect}
            actions={
              <Suspense fallback={null}>
                <CellExposure cell={url.cell!} filters={filters} />
                <CellCountermeasures
                  cell={url.cell!}
                  canCreate={canWork}
                  onNew={() => setCmDraft(url.cell)}
                  onOpen={(id) => setUrl({ countermeasure: id }, 'push')}
                />
            </Suspense>
            }
          />
        )}
        {panel === 'countermeasure-form' && (
          <CountermeasureForm
            cell={cmDraft!}
            onCancel={() => setCmDraft(null)}
            onCreated={(id) => {
              setCmDraft(null);
              setUrl({ countermeasure: id }, 'push');
            }}
          />
        )}
        {panel === 'countermeasure' && <CountermeasurePanel id={url.countermeasure!} onClose={() => setUrl({ countermeasure: null }, 'push')} />}
      </Suspense>
      {panel === 'work' && (
        <MyWorkPanel
          onIncidentSelect={onIncidentSelect}
          onClose={() => setWorkOpen(false)}
          header={
            user.role === 'store_manager' ? (
              <KpiStrip filters={ownStores} work={myWork.data && { open: myWork.data.work.total, overdue: myWork.data.work.overdue }} />
            ) : undefined
          }
        />
      )}
    </div>
  );
}
