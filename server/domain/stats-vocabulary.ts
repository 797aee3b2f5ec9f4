/**
 * The chart and ranking vocabularies of the stats procedures: the router's zod enums and the
 * dashboard's controls read them here. Pure.
 */

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];
export const SPLITS = ['none', 'kind', 'severity'] as const;
export type Split = (typeof SPLITS)[number];
/** What the store ranking sorts by; `closureRate` is the monthly closure rate rule over the period. */
export const RANKING_SORTS = ['incidents', 'perMonth', 'closureRate', 'overdue', 'change', 'per1000Smoothed'] as const;
export type RankingSort = (typeof RANKING_SORTS)[number];
