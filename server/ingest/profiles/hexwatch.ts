/**
 * `hexwatch`: the project's own columns, one incident per row (docs/import.md lists them).
 * City and store: `store_code` names a known store (its city is the incident's city); otherwise
 * `--assign nearest` picks the nearest store covering the point; otherwise `city` names the city.
 */
import {
  dueAt,
  FINAL_STATUSES,
  isCategoryOfKind,
  CATEGORIES_BY_KIND,
  KINDS,
  RESOLUTIONS,
  REVIEW_STATES,
  SOURCES,
  STATUSES,
} from '../../domain/incident.js';
import { MAX_MODEL_VERSION_CHARS } from '../../domain/ai-trust.js';
import type { Severity } from '../../domain/incident.js';
import type { City, IncidentInput, StoreRecord } from '../../store/types.js';
import { toWgs84 } from '../coords.js';
import { importEvents } from '../events.js';
import {
  optionalEnum,
  optionalNumber,
  optionalText,
  optionalTimestamp,
  requiredEnum,
  requiredLatLng,
  requiredNumber,
  requiredText,
  requiredTimestamp,
  RowError,
} from '../fields.js';
import type { Row } from '../fields.js';
import type { ColumnSpec, IncidentProfile, IncidentRowContext } from '../profile.js';
import { CONTROL_CHAR_MESSAGE, isPlainLine, isPlainText } from '../../domain/text.js';

export const HEXWATCH_COLUMNS: readonly ColumnSpec[] = [
  { name: 'external_id', required: true, description: 'Unique id of the incident within its source; re-importing the same id adds nothing.' },
  { name: 'kind', required: true, description: '`accident` or `exception`.' },
  { name: 'category', required: true, description: 'A category of that kind (accident: vehicle_collision, non_motor_collision, pedestrian_collision, single_vehicle_fall, property_damage, other; exception: wrong_way, red_light, no_helmet, phone_while_riding, speeding, sidewalk_riding, carrying_passenger, other).' },
  { name: 'severity', required: true, description: '1 (minor) to 4 (most severe, e.g. fatal).' },
  { name: 'occurred_at', required: true, description: 'ISO-8601 time with offset, e.g. `2024-05-01T08:30:00+08:00` (seconds optional; `Z` allowed). At most a day in the future.' },
  { name: 'lat', required: true, description: 'Latitude in degrees, WGS-84 (or GCJ-02 with `--coords gcj02`).' },
  { name: 'lng', required: true, description: 'Longitude in degrees, same system as `lat`.' },
  { name: 'store_code', required: false, description: 'Code of a known store; the incident belongs to it and to its city.' },
  { name: 'city', required: false, description: 'Key of a known city (e.g. `fuzhou`). Needed when there is no `store_code` and `--assign nearest` finds no store; must agree with the store\'s city when both are given.' },
  { name: 'rider_id', required: false, description: 'Pseudonymous rider id.' },
  { name: 'description', required: false, description: 'Free text.' },
  { name: 'source', required: false, description: 'ai_vision, manual, import, bitable or api; default `import`. Ids are unique per source.' },
  { name: 'status', required: false, description: 'open, assigned, in_progress, closed or dismissed; default `open`.' },
  { name: 'assignee', required: false, description: 'Who works the incident.' },
  { name: 'due_at', required: false, description: 'ISO time with offset; default occurred_at plus the hours of the severity in the SLA in force at import (admin settings; defaults 4: 24 h, 3: 48 h, 2: 72 h, 1: 7 d).' },
  { name: 'closed_at', required: false, description: 'ISO time with offset; required when status is closed or dismissed, empty otherwise.' },
  { name: 'resolution', required: false, description: 'Required when status is closed: rider_coached, rider_penalized, route_changed, facility_fixed, insurance_claim, no_action_needed, other.' },
  { name: 'ai_label', required: false, description: 'Label given by the AI pipeline.' },
  { name: 'ai_confidence', required: false, description: 'AI confidence, 0 to 1.' },
  { name: 'ai_model_version', required: false, description: `Version of the AI model that made the detection, at most ${MAX_MODEL_VERSION_CHARS} characters on one line.` },
  { name: 'review', required: false, description: 'pending, confirmed or rejected; default `pending` when source is ai_vision, else empty.' },
  { name: 'photo_urls', required: false, description: 'http(s) URLs separated by spaces or `|`.' },
];

/** A photo: an http(s) URL, or a path the app serves itself (/media/..., e.g. Bitable attachments). */
const URL_RE = /^(https?:\/\/\S+|\/media\/(?!.*\.\.)[\w%./-]+)$/;

function severityOf(row: Row): Severity {
  const n = requiredNumber(row, 'severity', 1, 4);
  if (!Number.isInteger(n)) throw new RowError('severity', 'is not a whole number 1..4', row.severity);
  return n as Severity;
}

/** City and store of a row; see the module comment for the precedence. */
function placeOf(row: Row, lat: number, lng: number, ctx: IncidentRowContext): { city: City | null; store: StoreRecord | null; cityId: number } {
  const cityKey = optionalText(row, 'city', 100);
  const city = cityKey === null ? null : ctx.citiesByKey.get(cityKey) ?? null;
  if (cityKey !== null && city === null) throw new RowError('city', 'is not a known city key', cityKey);
  const storeCode = optionalText(row, 'store_code', 100);
  let store: StoreRecord | null = null;
  if (storeCode !== null) {
    store = ctx.storesByCode.get(storeCode) ?? null;
    if (store === null) throw new RowError('store_code', 'is not a known store', storeCode);
    if (city !== null && store.cityId !== city.id) throw new RowError('city', `is not the city of store ${storeCode}`, cityKey!);
  } else if (ctx.assignNearest) {
    store = ctx.locator.nearest(lat, lng, city?.id);
  }
  const cityId = city?.id ?? store?.cityId;
  if (cityId === undefined) {
    throw new RowError('city', ctx.assignNearest ? 'is empty and no store covers the point' : 'is empty and store_code is empty');
  }
  return { city, store, cityId };
}

/** Free text of a row, refused when it holds control characters (the same rule as the API's zod schema). */
function cleanText(row: Row, field: string, maxLength: number, multiLine: boolean): string | null {
  const value = optionalText(row, field, maxLength);
  if (value !== null && !(multiLine ? isPlainText(value) : isPlainLine(value))) throw new RowError(field, CONTROL_CHAR_MESSAGE);
  return value;
}

export function hexwatchRowToIncident(row: Row, ctx: IncidentRowContext): IncidentInput {
  const externalId = requiredText(row, 'external_id', 200);
  const kind = requiredEnum(row, 'kind', KINDS);
  const category = requiredText(row, 'category', 100);
  if (!isCategoryOfKind(kind, category)) {
    throw new RowError('category', `is not one of the ${kind} categories ${CATEGORIES_BY_KIND[kind].join(', ')}`, category);
  }
  const severity = severityOf(row);
  const occurredAt = requiredTimestamp(row, 'occurred_at', ctx.now);
  const { lat, lng } = toWgs84(requiredLatLng(row, 'lat', 'lng'), ctx.coords);
  const { store, cityId } = placeOf(row, lat, lng, ctx);

  const source = optionalEnum(row, 'source', SOURCES) ?? 'import';
  const status = optionalEnum(row, 'status', STATUSES) ?? 'open';
  const final = FINAL_STATUSES.includes(status);
  const closedAt = optionalTimestamp(row, 'closed_at', ctx.now);
  if (final && closedAt === null) throw new RowError('closed_at', `is required when status is ${status}`);
  if (!final && closedAt !== null) throw new RowError('closed_at', 'must be empty unless status is closed or dismissed', row.closed_at);
  if (closedAt !== null && closedAt.getTime() < occurredAt.getTime()) throw new RowError('closed_at', 'is before occurred_at', row.closed_at);
  const resolution = optionalEnum(row, 'resolution', RESOLUTIONS);
  if (status === 'closed' && resolution === null) throw new RowError('resolution', 'is required when status is closed');
  if (!final && resolution !== null) throw new RowError('resolution', 'must be empty unless status is closed or dismissed', row.resolution);

  const photoUrls = (optionalText(row, 'photo_urls', 8000) ?? '').split(/[\s|]+/).filter((u) => u !== '');
  const badUrl = photoUrls.find((u) => !URL_RE.test(u));
  if (badUrl !== undefined) throw new RowError('photo_urls', 'contains something that is not an http(s) URL (or an app /media/ path)', badUrl);

  return {
    kind,
    category,
    severity,
    occurredAt,
    lat,
    lng,
    cityId,
    storeId: store?.id ?? null,
    riderId: cleanText(row, 'rider_id', 200, false),
    description: cleanText(row, 'description', 4000, true),
    photoUrls,
    source,
    externalId,
    aiLabel: optionalText(row, 'ai_label', 200),
    aiConfidence: optionalNumber(row, 'ai_confidence', 0, 1),
    aiModelVersion: cleanText(row, 'ai_model_version', MAX_MODEL_VERSION_CHARS, false),
    review: optionalEnum(row, 'review', REVIEW_STATES) ?? (source === 'ai_vision' ? 'pending' : null),
    status,
    assignee: optionalText(row, 'assignee', 200),
    dueAt: optionalTimestamp(row, 'due_at', null) ?? dueAt(occurredAt, severity, ctx.slaHours),
    closedAt,
    resolution,
    events: importEvents({ actor: 'import', status, occurredAt, closedAt, note: 'imported from CSV (hexwatch profile)' }),
  };
}

export const hexwatchProfile: IncidentProfile = {
  name: 'hexwatch',
  target: 'incidents',
  columns: HEXWATCH_COLUMNS,
  toIncident: hexwatchRowToIncident,
};
