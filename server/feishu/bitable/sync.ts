/**
 * `sync:bitable`: pulls a Bitable table into incidents. Pages through the search API, maps each
 * record (mapping.ts) through the hexwatch import rules, writes the mappable ones in one staged
 * batch (idempotent on (bitable, record id)), and reports the rows it could not map. Incremental:
 * the largest last-modified time seen is kept in meta; the next run asks Feishu for records
 * modified since the day before it (Feishu filters dates by day) and skips those not newer.
 * Records already imported are not updated when edited in Bitable (the writer only inserts).
 */
import { createStoreLocator } from '../../ingest/nearest-store.js';
import { RowError } from '../../ingest/fields.js';
import { hexwatchRowToIncident } from '../../ingest/profiles/hexwatch.js';
import type { IncidentInput, IncidentStore } from '../../store/types.js';
import type { FeishuAppConfig } from '../auth/client.js';
import { searchRecords } from './client.js';
import { bitableRecordToRow, MappingError } from './mapping.js';
import type { BitableMapping } from './mapping.js';
import { recordIngestCommitted } from '../../observability/metrics.js';

export interface BitableSyncOptions {
  appToken: string;
  tableId: string;
  mapping: BitableMapping;
  /** Ignore the stored watermark and read the whole table. */
  full?: boolean;
  pageSize?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: Date;
}

export interface BitableSyncReport {
  pages: number;
  /** Records returned by Feishu. */
  records: number;
  /** Of those, unchanged since the last run (skipped). */
  unchanged: number;
  inserted: number;
  /** Already imported (same record id). */
  duplicates: number;
  rejected: Array<{ recordId: string; field: string; message: string }>;
  /** Largest last_modified_time seen (ms), the next run's starting point. */
  watermark: number;
}

const ROW_FIELD_NAMES: Record<string, string> = { occurred_at: 'occurredAt', store_code: 'storeCode', rider_id: 'riderId', external_id: 'recordId', 'lat/lng': 'location', lat: 'location', lng: 'location' };

/** One day: the precision of Feishu's date filters. */
export const FILTER_OVERLAP_MS = 86_400_000;

export function watermarkKey(appToken: string, tableId: string): string {
  return `bitable.watermark.${appToken}.${tableId}`;
}

export async function syncBitable(store: IncidentStore, config: FeishuAppConfig, opts: BitableSyncOptions): Promise<BitableSyncReport> {
  const key = watermarkKey(opts.appToken, opts.tableId);
  const since = opts.full ? 0 : Number((await store.getMeta(key)) ?? 0);
  const [cities, stores, settings] = await Promise.all([store.listCities(), store.listStores({ all: true }), store.security.settings()]);
  const ctx = {
    coords: opts.mapping.coords,
    assignNearest: true,
    citiesByKey: new Map(cities.map((c) => [c.key, c])),
    storesByCode: new Map(stores.map((s) => [s.code, s])),
    locator: createStoreLocator(stores),
    now: opts.now ?? new Date(),
    slaHours: settings.slaHours,
  };
  // Feishu compares date conditions by whole days: "greater than the watermark" would skip
  // records modified later on the watermark's own day. Ask from a day earlier; the local check
  // below and the idempotent insert absorb the overlap.
  const filter =
    since > 0 && opts.mapping.modifiedField
      ? {
          conjunction: 'and' as const,
          conditions: [{ field_name: opts.mapping.modifiedField, operator: 'isGreater', value: ['ExactDate', String(since - FILTER_OVERLAP_MS)] }],
        }
      : undefined;

  const report: BitableSyncReport = { pages: 0, records: 0, unchanged: 0, inserted: 0, duplicates: 0, rejected: [], watermark: since };
  const writer = await store.openIncidentWriter();
  try {
    let pageToken: string | null = null;
    do {
      const page = await searchRecords(config, {
        appToken: opts.appToken,
        tableId: opts.tableId,
        pageSize: opts.pageSize ?? 500,
        pageToken,
        viewId: opts.mapping.viewId,
        filter,
        sleep: opts.sleep,
      });
      report.pages++;
      report.records += page.items.length;
      const rows: IncidentInput[] = [];
      for (const record of page.items) {
        const modified = record.last_modified_time ?? record.created_time ?? 0;
        // the server-side filter needs a modified-time field; without one, filter here
        if (since > 0 && modified <= since) {
          report.unchanged++;
          continue;
        }
        report.watermark = Math.max(report.watermark, modified);
        try {
          const incident = hexwatchRowToIncident(bitableRecordToRow(record, opts.mapping), ctx);
          incident.events = [{ at: incident.occurredAt, actor: 'bitable', fromStatus: null, toStatus: 'open', note: `synced from Bitable ${opts.tableId}` }];
          rows.push(incident);
        } catch (error) {
          if (error instanceof MappingError) report.rejected.push({ recordId: record.record_id, field: error.field, message: error.message });
          else if (error instanceof RowError) report.rejected.push({ recordId: record.record_id, field: ROW_FIELD_NAMES[error.field] ?? error.field, message: error.message });
          else throw error;
        }
      }
      await writer.write(rows);
      pageToken = page.hasMore ? page.pageToken : null;
    } while (pageToken);
    const summary = await writer.commit();
    recordIngestCommitted('bitable', summary);
    report.inserted = summary.inserted;
    report.duplicates = summary.duplicates;
  } catch (error) {
    await writer.rollback();
    throw error;
  }
  // only after the commit: a failed run is read again next time
  if (report.watermark > since) await store.setMeta(key, String(report.watermark));
  return report;
}
