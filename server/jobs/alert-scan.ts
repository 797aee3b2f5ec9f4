/**
 * The hot-spot alert scan (../DESIGN.md "Early warning"): per city, the emerging hot-spot classes
 * of the H3 cells over the last complete weeks; for every store, the cells whose centre lies in
 * its delivery radius and that became a new, consecutive or intensifying hot spot get an alert,
 * once per store, cell and episode (the week the cell's current hot run began), with its Feishu
 * notification queued in the outbox in the same transaction.
 */
import { distanceM } from '../domain/geo.js';
import { cellToLatLng } from 'h3-js';
import { emergingByCity } from '../analysis/hotspots.js';
import { ALERT_CLASSES } from '../domain/hotspots/emerging.js';
import { alertCard } from '../feishu/card.js';
import type { FeishuAppLinkTarget } from '../feishu/card.js';
import { effectiveCountermeasuresByCell } from './countermeasure-watch.js';
import type { EffectiveCountermeasure } from './countermeasure-watch.js';
import type { Alert, AlertInput } from '../store/alerts.js';
import type { IncidentStore } from '../store/types.js';
import { timeAlertScan } from '../observability/metrics.js';

/** Cells of resolution 8 (about 0.74 km², 460 m edge): a 3 km delivery disk holds about 40. */
export const ALERT_RESOLUTION = 8;
/** Weekly steps analysed; ArcGIS asks for at least 10 for the trend test. */
export const ALERT_WEEKS = 12;
export interface ScanOptions {
  /** Links in cards: `<publicUrl>/?cell=<h3>`. */
  publicUrl: string;
  /** The Feishu app, when configured: card buttons then open Hexwatch inside Feishu (applink). */
  feishuApp?: FeishuAppLinkTarget | null;
  now?: Date;
  resolution?: number;
  weeks?: number;
}

export interface ScanReport {
  cities: number;
  cells: number;
  /** Cells (of any store) in an alert class this scan, new episodes or not. */
  candidates: number;
  /** Alerts created by this scan (episodes alerted before are not repeated). */
  created: Alert[];
  /** Of those, the ones in a cell whose countermeasure was judged effective: a hot spot again. */
  reoccurred: Array<{ alertId: number; storeId: number; cell: string; countermeasures: EffectiveCountermeasure[] }>;
}

/** One scan (scheduler, `npm run scan`), timed for /metrics. */
export function runAlertScan(store: IncidentStore, opts: ScanOptions): Promise<ScanReport> {
  return timeAlertScan(() => scan(store, opts));
}

async function scan(store: IncidentStore, opts: ScanOptions): Promise<ScanReport> {
  const now = opts.now ?? new Date();
  const resolution = opts.resolution ?? ALERT_RESOLUTION;
  const weeks = opts.weeks ?? ALERT_WEEKS;
  const stores = await store.listStores({ all: true });
  const cityIds = [...new Set(stores.map((s) => s.cityId))];
  const report: ScanReport = { cities: 0, cells: 0, candidates: 0, created: [], reoccurred: [] };
  if (!cityIds.length) return report;
  // analysts' view: every incident of the cities with stores (rejected AI detections left out)
  const cities = await emergingByCity(store.stats, { filters: { cityIds }, resolution, weeks, end: now, now }, { all: true });
  const inputs: AlertInput[] = [];
  const centres = new Map<string, [lat: number, lng: number]>();
  for (const result of cities) {
    report.cities++;
    report.cells += result.cells.length;
    const last = result.weeks.length - 1;
    result.cells.forEach((cell, k) => {
      const cls = result.classes[k]!;
      if (!ALERT_CLASSES.includes(cls)) return;
      report.candidates++;
      const [lat, lng] = cellToLatLng(cell);
      centres.set(cell, [lat, lng]);
      for (const s of stores) {
        if (s.cityId !== result.cityId || distanceM(lat, lng, s.lat, s.lng) > s.radiusM) continue;
        inputs.push({
          storeId: s.id,
          cityId: result.cityId,
          cell,
          resolution,
          episode: result.weeks[result.runStart[k]!]!,
          week: result.weeks[last]!,
          class: cls,
          z: result.finalZ[k]!,
          weekCount: result.counts[last]![k]!,
          totalCount: result.totals[k]!,
          weeks,
        });
      }
    });
  }
  const effective = inputs.length ? await effectiveCountermeasuresByCell(store, resolution, now) : new Map<string, EffectiveCountermeasure[]>();
  report.created = await store.alerts.recordAlerts(
    inputs,
    (alert) => {
      const [lat, lng] = centres.get(alert.cell) ?? cellToLatLng(alert.cell);
      return alertCard({ ...alert, lat, lng, countermeasures: effective.get(`${alert.storeId}|${alert.cell}`) }, opts.publicUrl, opts.feishuApp);
    },
    now,
  );
  for (const a of report.created) {
    const countermeasures = effective.get(`${a.storeId}|${a.cell}`);
    if (countermeasures) report.reoccurred.push({ alertId: a.id, storeId: a.storeId, cell: a.cell, countermeasures });
  }
  return report;
}
