/**
 * The countermeasure vocabularies, apart from ./countermeasures.ts so that the client can import
 * them without the statistics library the evaluation needs. Pure.
 */

export const COUNTERMEASURE_KINDS = ['route_change', 'signage', 'rider_briefing', 'facility_fix', 'other'] as const;
export type CountermeasureKind = (typeof COUNTERMEASURE_KINDS)[number];

/** Which incidents a countermeasure's before/after evaluation counts: one kind, or both. */
export const INCIDENT_KINDS_COUNTED = ['accident', 'exception', 'all'] as const;
export type IncidentKindCounted = (typeof INCIDENT_KINDS_COUNTED)[number];

/** Bounds of a countermeasure's text fields (the router's schema and the form's maxLength). */
export const COUNTERMEASURE_LIMITS = { titleMax: 120, ownerMax: 100, noteMax: 2000 } as const;
