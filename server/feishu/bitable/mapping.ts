/**
 * The field mapping of a Bitable table onto incidents (a JSON file given to `sync:bitable`), and
 * the pure function that maps one record. Values follow reference §3: text as segments, single
 * selects as strings, dates in Unix ms, locations as `{location: "lng,lat"}` in GCJ-02.
 */
import { z } from 'zod';
import { COORD_SYSTEMS } from '../../ingest/coords.js';
import type { Row } from '../../ingest/fields.js';
import type { BitableRecord } from './client.js';

const FieldName = z.string().trim().min(1).max(200);
/** A field whose (select or text) value is translated through `values`; or a constant. */
const Mapped = z.union([
  z.object({ field: FieldName, values: z.record(z.string(), z.string()).optional() }).strict(),
  z.object({ const: z.string().min(1).max(100) }).strict(),
]);

export const MappingSchema = z
  .object({
    /** Field of type 1002 (modified time): the search then asks only for records changed since the last run. */
    modifiedField: FieldName.optional(),
    viewId: z.string().max(100).optional(),
    /** Coordinate system of the location field; Feishu's map picker gives GCJ-02. */
    coords: z.enum(COORD_SYSTEMS).default('gcj02'),
    fields: z
      .object({
        kind: Mapped,
        category: Mapped,
        severity: Mapped,
        occurredAt: FieldName,
        location: FieldName.optional(),
        lat: FieldName.optional(),
        lng: FieldName.optional(),
        storeCode: FieldName.optional(),
        city: Mapped.optional(),
        riderId: FieldName.optional(),
        description: FieldName.optional(),
        photos: FieldName.optional(),
      })
      .strict()
      .refine((f) => f.location || (f.lat && f.lng), { message: 'give `location` or both `lat` and `lng`', path: ['location'] }),
  })
  .strict();

export type BitableMapping = z.infer<typeof MappingSchema>;

/** Feishu file tokens and record ids: letters, digits, `_` and `-`. */
export const FILE_TOKEN = /^[\w-]{1,100}$/;

/** Where the app serves a Bitable attachment: `/media/feishu/<record id>/<file token>`. */
export function feishuMediaPath(recordId: string, fileToken: string): string {
  return `/media/feishu/${encodeURIComponent(recordId)}/${fileToken}`;
}

export class MappingError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** A cell as plain text: text segments joined, numbers and selects as they are. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return value
      .map((v) => (typeof v === 'string' ? v : v && typeof v === 'object' ? String((v as { text?: unknown; name?: unknown }).text ?? (v as { name?: unknown }).name ?? '') : ''))
      .join('');
  }
  if (typeof value === 'object' && 'text' in value) return String((value).text);
  return '';
}

function mapped(record: BitableRecord, spec: z.infer<typeof Mapped> | undefined, target: string): string {
  if (!spec) return '';
  if ('const' in spec) return spec.const;
  const raw = cellText(record.fields[spec.field]).trim();
  if (raw === '' || !spec.values) return raw;
  const to = spec.values[raw];
  if (to === undefined) throw new MappingError(target, `"${raw}" of field "${spec.field}" is not in the mapping's values`);
  return to;
}

/**
 * One Bitable record as a row of the hexwatch import profile (source `bitable`, id = record id),
 * so that imports, the API and Bitable share one set of rules.
 * @throws MappingError naming the incident field when the record cannot be mapped
 */
export function bitableRecordToRow(record: BitableRecord, mapping: BitableMapping): Row {
  const f = mapping.fields;
  const when = record.fields[f.occurredAt];
  let occurredAt = '';
  if (typeof when === 'number' && Number.isFinite(when)) occurredAt = new Date(when).toISOString();
  else if (when !== undefined && when !== null) throw new MappingError('occurredAt', `field "${f.occurredAt}" is not a date (Unix ms)`);
  let lat = '';
  let lng = '';
  if (f.location) {
    const loc = record.fields[f.location] as { location?: unknown } | undefined;
    if (loc !== undefined) {
      // "lng,lat": longitude first, as Feishu writes it
      const m = typeof loc?.location === 'string' ? /^\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*$/.exec(loc.location) : null;
      if (!m) throw new MappingError('location', `field "${f.location}" is not a "lng,lat" location`);
      lng = m[1]!;
      lat = m[2]!;
    }
  } else {
    lat = cellText(record.fields[f.lat!]).trim();
    lng = cellText(record.fields[f.lng!]).trim();
  }
  // An attachment's `url` answers only with the tenant token, and tmp_url lasts 24 h: keep the
  // file token, and let the app serve it (server/feishu/media.ts) with its own access rules.
  const photos = f.photos ? record.fields[f.photos] : undefined;
  const photoUrls = Array.isArray(photos)
    ? photos
        .map((p) => (p && typeof p === 'object' ? String((p as { file_token?: unknown }).file_token ?? '') : ''))
        .filter((token) => FILE_TOKEN.test(token))
        .map((token) => feishuMediaPath(record.record_id, token))
    : [];
  return {
    external_id: record.record_id,
    source: 'bitable',
    kind: mapped(record, f.kind, 'kind'),
    category: mapped(record, f.category, 'category'),
    severity: mapped(record, f.severity, 'severity'),
    occurred_at: occurredAt,
    lat,
    lng,
    store_code: f.storeCode ? cellText(record.fields[f.storeCode]).trim() : '',
    city: mapped(record, f.city, 'city'),
    rider_id: f.riderId ? cellText(record.fields[f.riderId]) : '',
    description: f.description ? cellText(record.fields[f.description]) : '',
    photo_urls: photoUrls.join(' '),
  };
}
