/**
 * The client and the server agree on each shared rule because the client uses the server's own
 * objects (server/domain), not copies: the vocabularies are the very same arrays; the client's
 * output passes the server's schemas; the map's closure metric, the live overdue test and the
 * zoom's resolution are the domain's functions. And no client file types a vocabulary again.
 * (tests/unit/client/import-boundary.test.ts checks that only server/domain reaches the bundle.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as adminValidation from '../../../client/features/admin/lib/validation.js';
import { matchesState } from '../../../client/features/live/lib/apply-change.js';
import * as storeRanking from '../../../client/features/stats/api/use-store-ranking.js';
import { closureBreaks, metricScale, metricValues } from '../../../client/features/map/lib/metrics.js';
import * as clientFilters from '../../../client/lib/filters.js';
import { DEFAULT_FILTER_STATE, toQueryFilters } from '../../../client/lib/filters.js';
import { ADMIN_LIMITS } from '../../../server/domain/admin-limits.js';
import { CLOSURE_RATE_TARGET, cellShareClosed } from '../../../server/domain/closure.js';
import { COUNTERMEASURE_KINDS, INCIDENT_KINDS_COUNTED } from '../../../server/domain/countermeasure-vocabulary.js';
import { FiltersSchema, passesDefaultReview, ResolutionSchema } from '../../../server/domain/filters.js';
import { zoomToResolution } from '../../../server/domain/h3-cells.js';
import * as incident from '../../../server/domain/incident.js';
import type { Status } from '../../../server/domain/incident.js';
import { isOverdue } from '../../../server/domain/sla.js';
import * as statsVocabulary from '../../../server/domain/stats-vocabulary.js';
import { DEFAULT_SETTINGS } from '../../../server/store/security.js';

const CLIENT_DIR = fileURLToPath(new URL('../../../client', import.meta.url));

function clientSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return clientSources(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

describe('the client uses the server domain objects themselves', () => {
  it.each(['KINDS', 'CATEGORIES', 'CATEGORIES_BY_KIND', 'SEVERITIES', 'STATUSES', 'REVIEW_STATES'] as const)('client/lib/filters %s is the domain array', (name) => {
    expect(clientFilters[name]).toBe(incident[name]);
  });

  it.each(['ROLES', 'SEVERITIES'] as const)('the admin forms %s is the domain array', (name) => {
    expect(adminValidation[name]).toBe(incident[name]);
  });

  it('the store ranking sorts by the domain list', () => {
    expect(storeRanking.RANKING_SORTS).toBe(statsVocabulary.RANKING_SORTS);
  });

  it("the admin forms' bounds are the object the admin and alerts routers read", () => {
    expect(adminValidation.LIMITS).toBe(ADMIN_LIMITS);
    // and they hold: a user id one character too long is named by the form
    const tooLong = adminValidation.validateUser({ id: 'u'.repeat(ADMIN_LIMITS.userIdMax + 1), name: 'N', role: 'viewer', storeIds: [], feishuOpenId: '' });
    expect(tooLong.ok ? null : Object.keys(tooLong.errors)).toEqual(['id']);
  });

  it('no client file types a vocabulary again (two of its values in a row, quoted)', () => {
    const lists: Record<string, readonly (string | number)[]> = {
      kinds: incident.KINDS,
      accident: incident.ACCIDENT_CATEGORIES,
      exception: incident.EXCEPTION_CATEGORIES,
      sources: incident.SOURCES,
      review: incident.REVIEW_STATES,
      statuses: incident.STATUSES,
      resolutions: incident.RESOLUTIONS,
      roles: incident.ROLES,
      countermeasureKinds: COUNTERMEASURE_KINDS,
      countedKinds: INCIDENT_KINDS_COUNTED,
      intervals: statsVocabulary.INTERVALS,
      splits: statsVocabulary.SPLITS,
      rankingSorts: statsVocabulary.RANKING_SORTS,
    };
    const quoted = (v: string | number) => `['"]${v}['"]`;
    const found: string[] = [];
    for (const file of clientSources(CLIENT_DIR)) {
      const text = readFileSync(file, 'utf8');
      for (const [name, values] of Object.entries(lists)) {
        for (let i = 0; i + 1 < values.length; i++) {
          if (new RegExp(`${quoted(values[i]!)}\\s*,\\s*${quoted(values[i + 1]!)}`).test(text)) {
            found.push(`${relative(CLIENT_DIR, file)}: ${name}`);
            break;
          }
        }
      }
    }
    expect(found).toEqual([]);
  });
});

describe('what the client computes, the server accepts and means', () => {
  it('filters with every value the panel offers pass the server schema', () => {
    const all = {
      ...DEFAULT_FILTER_STATE,
      kinds: [...clientFilters.KINDS],
      categories: [...clientFilters.CATEGORIES],
      severities: [...clientFilters.SEVERITIES],
      statuses: [...clientFilters.STATUSES],
      review: [...clientFilters.REVIEW_STATES],
      overdueOnly: true,
    };
    const query = toQueryFilters(all, new Date('2026-03-01T12:00:00Z'));
    expect(FiltersSchema.safeParse(query).success).toBe(true);
    expect(query.statuses).toEqual(['open', 'assigned', 'in_progress', 'closed', 'dismissed']);
  });

  it('the map asks for resolutions the server serves at every zoom', () => {
    for (let zoom = 0; zoom <= 24; zoom += 0.5) expect(ResolutionSchema.safeParse(zoomToResolution(zoom)).success).toBe(true);
  });

  it("the map's closure metric is the domain's cell share closed (pending detections counted), 0 for an empty cell", () => {
    const cells = { count: [4, 10, 3, 0], weighted: [0, 0, 0, 0], open: [0, 5, 3, 0], closed: [4, 5, 0, 0], overdue: [0, 0, 0, 0], ai: [0, 0, 0, 0], pending: [0, 0, 0, 0], cells: ['a', 'b', 'c', 'd'] };
    expect(metricValues(cells, 'closure')).toEqual([1, 0.5, 0, 0]);
    expect(metricValues(cells, 'closure')).toEqual(cells.count.map((n, i) => cellShareClosed(cells.closed[i]!, n) ?? 0));
  });

  it("the map's classes end at the target: the settings' default without one, any target given", () => {
    expect(DEFAULT_SETTINGS.closureTarget).toBe(CLOSURE_RATE_TARGET);
    expect(metricScale([], 'closure').classes.at(-1)!.label).toBe('≥ 90%');
    for (const target of [0.5, 0.75, 0.9, 0.95, 1]) expect(closureBreaks(target).at(-1)).toBe(target);
  });

  it("live updates judge 'overdue only' as the domain's isOverdue", () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const dues = [null, '2026-03-01T11:59:59Z', '2026-03-01T12:00:00Z', '2026-03-02T00:00:00Z'];
    let overdue = 0;
    for (const status of incident.STATUSES as readonly Status[]) {
      for (const dueAt of dues) {
        const expected = isOverdue(status, dueAt === null ? null : new Date(dueAt), new Date(now));
        expect(matchesState({ status, review: null, dueAt }, { overdueOnly: true }, now)).toBe(expected);
        if (expected) overdue++;
      }
    }
    // open, assigned and in progress, each only when a second late: the table is not all-false
    expect(overdue).toBe(3);
  });

  it("live updates apply the filter's default review rule as the domain's passesDefaultReview", () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const counted = [null, ...incident.REVIEW_STATES].filter((review) => matchesState({ status: 'open', review, dueAt: null }, {}, now));
    expect(counted).toEqual([null, ...incident.REVIEW_STATES].filter(passesDefaultReview));
    expect(counted).toEqual([null, 'pending', 'confirmed']);
  });
});
