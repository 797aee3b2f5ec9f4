/**
 * `hk-td`: Hong Kong Transport Department accident records (../shared/data/hk-accidents/).
 *
 * Mapping (documented in docs/import.md):
 * - severity Fatal -> 4, Serious -> 3, Slight -> 2. Every record is an injury accident, so none
 *   is 1 (minor, no injury), and a fatal accident is the most severe of the scale.
 * - collision_type "Vehicle collision with X": Vehicle -> vehicle_collision, Pedestrian ->
 *   pedestrian_collision, Nothing -> single_vehicle_fall, Object -> property_damage.
 * - status `closed`, resolution `no_action_needed`, closed at the time it occurred: these are
 *   public records of general traffic, not our riders' incidents, so no store has anything to
 *   close. Left open, 90k incidents would be overdue for ever and swamp the open lists; closed at
 *   occurrence they count as closed in their own month. dueAt still follows the SLA.
 * - Rows without coordinates (5,993 in the published file) are rejected, not placed anywhere.
 */
import { dueAt } from '../../domain/incident.js';
import type { Category, Severity } from '../../domain/incident.js';
import type { CityInput, IncidentInput } from '../../store/types.js';
import { toWgs84 } from '../coords.js';
import { importEvents } from '../events.js';
import { optionalInteger, optionalText, requiredLatLng, requiredText, requiredTimestamp, RowError } from '../fields.js';
import type { Row } from '../fields.js';
import type { ColumnSpec, IncidentProfile, IncidentRowContext } from '../profile.js';

export const HONG_KONG: CityInput = {
  key: 'hong-kong',
  name: 'Hong Kong',
  nameZh: '香港',
  tz: 'Asia/Hong_Kong',
  centerLat: 22.32,
  centerLng: 114.17,
};

export const HK_SEVERITY: Readonly<Record<string, Severity>> = { Fatal: 4, Serious: 3, Slight: 2 };

/** The part after "Vehicle collision with " -> accident category. */
export const HK_COLLISION_CATEGORY: Readonly<Record<string, Category>> = {
  Vehicle: 'vehicle_collision',
  Pedestrian: 'pedestrian_collision',
  Nothing: 'single_vehicle_fall',
  Object: 'property_damage',
};

/** District Council districts, by the codes the file uses. */
export const HK_DISTRICTS: Readonly<Record<string, string>> = {
  CW: 'Central and Western',
  E: 'Eastern',
  S: 'Southern',
  WCH: 'Wan Chai',
  KC: 'Kowloon City',
  KT: 'Kwun Tong',
  SSP: 'Sham Shui Po',
  WTS: 'Wong Tai Sin',
  YTM: 'Yau Tsim Mong',
  I: 'Islands',
  KTS: 'Kwai Tsing',
  N: 'North',
  SK: 'Sai Kung',
  ST: 'Sha Tin',
  TP: 'Tai Po',
  TW: 'Tsuen Wan',
  TM: 'Tuen Mun',
  YL: 'Yuen Long',
};

export const HK_TD_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', required: true, description: 'OBJECTID of the record; stored as external_id `hk-td-<id>`.' },
  { name: 'occurred_at', required: true, description: 'Local time with offset, `YYYY-MM-DDTHH:MM:00+08:00`.' },
  { name: 'severity', required: true, description: '`Fatal` -> 4, `Serious` -> 3, `Slight` -> 2.' },
  { name: 'latitude', required: true, description: 'WGS-84; rows where it or longitude is empty are rejected.' },
  { name: 'longitude', required: true, description: 'WGS-84.' },
  { name: 'collision_type', required: true, description: '`Vehicle collision with Vehicle|Pedestrian|Nothing|Object` -> vehicle_collision, pedestrian_collision, single_vehicle_fall, property_damage.' },
  { name: 'vehicles', required: false, description: 'Number of vehicles; into the description.' },
  { name: 'casualties', required: false, description: 'Number of casualties; into the description.' },
  { name: 'district', required: false, description: 'District code (E, CW, YTM, ...); into the description.' },
  { name: 'street', required: false, description: 'Street name; into the description.' },
  { name: 'hit_and_run', required: false, description: '`TRUE`/`FALSE`; into the description.' },
  { name: 'weather', required: false, description: 'Into the description.' },
  { name: 'light', required: false, description: 'Into the description.' },
  { name: 'road_hierarchy', required: false, description: 'Into the description.' },
];

function countOf(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function hkDescription(row: Row, collision: string, vehicles: number | null, casualties: number | null): string {
  const street = optionalText(row, 'street', 200);
  const districtCode = optionalText(row, 'district', 20);
  const district = districtCode === null ? null : HK_DISTRICTS[districtCode] ?? districtCode;
  const place = [street, district && (street ? `(${district})` : district)].filter(Boolean).join(' ');
  const counts = [vehicles !== null ? countOf(vehicles, 'vehicle', 'vehicles') : null, casualties !== null ? countOf(casualties, 'casualty', 'casualties') : null]
    .filter(Boolean)
    .join(', ');
  const hitAndRun = (row.hit_and_run ?? '').trim().toUpperCase() === 'TRUE' ? 'hit and run' : null;
  const conditions = ['weather', 'light', 'road_hierarchy']
    .map((f) => optionalText(row, f, 100))
    .filter((v) => v !== null && v !== 'Not known')
    .join(', ');
  return [place || null, `vehicle collision with ${collision.toLowerCase()}`, counts || null, hitAndRun, conditions || null]
    .filter(Boolean)
    .join('; ');
}

export function hkTdRowToIncident(row: Row, ctx: IncidentRowContext): IncidentInput {
  const id = requiredText(row, 'id', 50);
  const occurredAt = requiredTimestamp(row, 'occurred_at', ctx.now);
  const severityText = requiredText(row, 'severity', 50);
  const severity = HK_SEVERITY[severityText];
  if (severity === undefined) throw new RowError('severity', 'is not Fatal, Serious or Slight', severityText);
  const collisionText = requiredText(row, 'collision_type', 100);
  const collision = collisionText.replace(/^Vehicle collision with\s+/i, '');
  const category = HK_COLLISION_CATEGORY[collision];
  if (category === undefined) {
    throw new RowError('collision_type', 'is not "Vehicle collision with" Vehicle, Pedestrian, Nothing or Object', collisionText);
  }
  const { lat, lng } = toWgs84(requiredLatLng(row, 'latitude', 'longitude'), ctx.coords);
  const vehicles = optionalInteger(row, 'vehicles', 0, 10_000);
  const casualties = optionalInteger(row, 'casualties', 0, 10_000);
  const hitAndRun = (row.hit_and_run ?? '').trim().toUpperCase();
  if (hitAndRun !== '' && hitAndRun !== 'TRUE' && hitAndRun !== 'FALSE') {
    throw new RowError('hit_and_run', 'is not TRUE or FALSE', row.hit_and_run);
  }
  const city = ctx.citiesByKey.get(HONG_KONG.key);
  // The importer creates the city before the first row (ensureCities); reaching this is a bug.
  if (city === undefined) throw new Error(`city ${HONG_KONG.key} is missing from the import context`);
  const store = ctx.assignNearest ? ctx.locator.nearest(lat, lng, city.id) : null;
  return {
    kind: 'accident',
    category,
    severity,
    occurredAt,
    lat,
    lng,
    cityId: city.id,
    storeId: store?.id ?? null,
    riderId: null,
    description: hkDescription(row, collision, vehicles, casualties),
    photoUrls: [],
    source: 'import',
    externalId: `hk-td-${id}`,
    aiLabel: null,
    aiConfidence: null,
    review: null,
    status: 'closed',
    assignee: null,
    dueAt: dueAt(occurredAt, severity, ctx.slaHours),
    closedAt: occurredAt,
    resolution: 'no_action_needed',
    events: importEvents({
      actor: 'import',
      status: 'closed',
      occurredAt,
      closedAt: occurredAt,
      note: 'Hong Kong Transport Department record (hk-td profile); historical, closed on import',
    }),
  };
}

export const hkTdProfile: IncidentProfile = {
  name: 'hk-td',
  target: 'incidents',
  columns: HK_TD_COLUMNS,
  ensureCities: [HONG_KONG],
  toIncident: hkTdRowToIncident,
};
