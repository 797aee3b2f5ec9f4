/**
 * The incident vocabulary of the design (../DESIGN.md "Domain"). Pure: no framework imports.
 * Every list here is the single source for zod schemas, SQL checks and the demo generator.
 */

export const KINDS = ['accident', 'exception'] as const;
export type Kind = (typeof KINDS)[number];

export const ACCIDENT_CATEGORIES = [
  'vehicle_collision',
  'non_motor_collision',
  'pedestrian_collision',
  'single_vehicle_fall',
  'property_damage',
  'other',
] as const;

export const EXCEPTION_CATEGORIES = [
  'wrong_way',
  'red_light',
  'no_helmet',
  'phone_while_riding',
  'speeding',
  'sidewalk_riding',
  'carrying_passenger',
  'other',
] as const;

export const CATEGORIES = [...new Set([...ACCIDENT_CATEGORIES, ...EXCEPTION_CATEGORIES])] as const;
export type Category = (typeof ACCIDENT_CATEGORIES)[number] | (typeof EXCEPTION_CATEGORIES)[number];

export const CATEGORIES_BY_KIND: Record<Kind, readonly Category[]> = {
  accident: ACCIDENT_CATEGORIES,
  exception: EXCEPTION_CATEGORIES,
};

/** 1 = minor ... 4 = most severe (fatal accident). */
export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];

/** `feishu_group`: an accident reported in a store's Feishu group (a draft until confirmed). */
export const SOURCES = ['ai_vision', 'manual', 'import', 'bitable', 'api', 'feishu_group'] as const;
export type Source = (typeof SOURCES)[number];

export const REVIEW_STATES = ['pending', 'confirmed', 'rejected'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const STATUSES = ['open', 'assigned', 'in_progress', 'closed', 'dismissed'] as const;
export type Status = (typeof STATUSES)[number];
export const FINAL_STATUSES: readonly Status[] = ['closed', 'dismissed'];

export const RESOLUTIONS = [
  'rider_coached',
  'rider_penalized',
  'route_changed',
  'facility_fixed',
  'insurance_claim',
  'no_action_needed',
  'other',
] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const ROLES = ['admin', 'analyst', 'store_manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Admins and analysts see every store; store managers and viewers only the stores assigned to them. */
export function seesAllStores(role: Role): boolean {
  return role === 'admin' || role === 'analyst';
}

/** Default SLA: hours from occurrence until an incident of that severity is due. */
export const SLA_HOURS_BY_SEVERITY: Record<Severity, number> = { 4: 24, 3: 48, 2: 72, 1: 7 * 24 };

/** Severity weights of the `weighted` hexbin metric: a fatal accident counts as 8 minor ones. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { 1: 1, 2: 2, 3: 4, 4: 8 };

export function isCategoryOfKind(kind: Kind, category: string): category is Category {
  return (CATEGORIES_BY_KIND[kind] as readonly string[]).includes(category);
}

/** Due time of an incident: occurrence plus the severity's SLA. */
export function dueAt(occurredAt: Date, severity: Severity, slaHours = SLA_HOURS_BY_SEVERITY): Date {
  return new Date(occurredAt.getTime() + slaHours[severity] * 3_600_000);
}
