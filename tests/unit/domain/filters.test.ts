/**
 * The shared filter, box, resolution and cell schemas (server/domain/filters.ts) as pure units:
 * each bound is tried on both sides, and a refused input must name the field and the bound. The
 * expected bounds are written here from DESIGN.md and the API's contract, not read from the code.
 * (The storage and API tests use these schemas too, but the mutation run does not start them.)
 */
import { describe, expect, it } from 'vitest';
import {
  BboxSchema,
  CellHexSchema,
  defaultReviewSql,
  FiltersSchema,
  passesDefaultReview,
  ResolutionSchema,
} from '../../../server/domain/filters.js';

/** `path: message` of every issue, or [] when the input is accepted. */
function problems(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, input: unknown): string[] {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const filters = (input: unknown) => problems(FiltersSchema, input);
const range = (n: number, from = 1) => Array.from({ length: n }, (_, k) => from + k);

describe('FiltersSchema', () => {
  it('accepts the empty filter and a filter with every field at a legal value', () => {
    expect(filters({})).toEqual([]);
    const full = {
      from: '2025-01-01T00:00:00Z',
      to: '2025-01-31T16:00:00+08:00',
      kinds: ['accident', 'exception'],
      categories: ['vehicle_collision', 'no_helmet', 'other'],
      severities: [1, 2, 3, 4],
      statuses: ['open', 'assigned', 'in_progress', 'closed', 'dismissed'],
      review: ['pending', 'confirmed', 'rejected'],
      storeIds: [1, 2_147_483_647],
      cityIds: [1, 2],
      overdueOnly: true,
      hourOfWeek: { day: 6, hour: 23 },
      q: 'helmet',
    };
    const r = FiltersSchema.safeParse(full);
    expect(r.success).toBe(true);
    expect(r.data).toEqual(full);
  });

  it('refuses an unknown key, naming it', () => {
    expect(filters({ store: [1] })).toEqual([': Unrecognized key: "store"']);
    expect(filters({ hourOfWeek: { day: 0, hour: 0, minute: 5 } })).toEqual(['hourOfWeek: Unrecognized key: "minute"']);
  });

  describe('from and to', () => {
    it('take ISO timestamps with a zone (Z or an offset), nothing else', () => {
      expect(filters({ from: '2025-01-31T16:00:00Z' })).toEqual([]);
      expect(filters({ from: '2025-01-31T16:00:00+08:00' })).toEqual([]);
      expect(filters({ to: '2025-01-31T16:00:00.123-05:30' })).toEqual([]);
      const message = 'must be an ISO timestamp such as 2025-01-31T16:00:00Z';
      expect(filters({ from: '2025-01-31' })).toEqual([`from: ${message}`]);
      expect(filters({ to: '31/01/2025' })).toEqual([`to: ${message}`]);
      expect(filters({ to: '' })).toEqual([`to: ${message}`]);
      expect(filters({ from: 1738339200000 })).toHaveLength(1);
      expect(filters({ from: 1738339200000 })[0]).toMatch(/^from: /);
    });

    it('refuse `from` after `to`, on `from`, and allow them equal or ordered', () => {
      expect(filters({ from: '2025-02-01T00:00:00Z', to: '2025-01-31T23:59:59Z' })).toEqual(['from: must not be after `to`']);
      // the same instant in two zones is not "after"
      expect(filters({ from: '2025-02-01T08:00:00+08:00', to: '2025-02-01T00:00:00Z' })).toEqual([]);
      expect(filters({ from: '2025-02-01T00:00:00Z', to: '2025-02-01T00:00:00.001Z' })).toEqual([]);
      // a lone bound is fine either way
      expect(filters({ from: '2999-01-01T00:00:00Z' })).toEqual([]);
      expect(filters({ to: '1999-01-01T00:00:00Z' })).toEqual([]);
      // compared as instants, not as text: 09:00+08:00 is 01:00Z, before 02:00Z
      expect(filters({ from: '2025-02-01T09:00:00+08:00', to: '2025-02-01T02:00:00Z' })).toEqual([]);
      expect(filters({ from: '2025-02-01T02:00:00Z', to: '2025-02-01T09:00:00+08:00' })).toEqual(['from: must not be after `to`']);
    });
  });

  describe('lists of words', () => {
    const cases: Array<[field: string, all: string[], bad: string]> = [
      ['kinds', ['accident', 'exception'], 'crash'],
      ['statuses', ['open', 'assigned', 'in_progress', 'closed', 'dismissed'], 'done'],
      ['review', ['pending', 'confirmed', 'rejected'], 'approved'],
    ];
    it.each(cases)('%s: one to all of its words; empty, too long or unknown is refused on the field', (field, all, bad) => {
      expect(filters({ [field]: [all[0]] })).toEqual([]);
      expect(filters({ [field]: all })).toEqual([]);
      expect(filters({ [field]: [] })).toEqual([`${field}: Too small: expected array to have >=1 items`]);
      expect(filters({ [field]: [...all, all[0]] })).toEqual([`${field}: Too big: expected array to have <=${all.length} items`]);
      const unknown = filters({ [field]: [bad] });
      expect(unknown).toHaveLength(1);
      expect(unknown[0]).toMatch(new RegExp(`^${field}\\.0: Invalid option`));
    });

    it('categories: the thirteen of both kinds (other counted once)', () => {
      const all = [
        'vehicle_collision', 'non_motor_collision', 'pedestrian_collision', 'single_vehicle_fall', 'property_damage',
        'wrong_way', 'red_light', 'no_helmet', 'phone_while_riding', 'speeding', 'sidewalk_riding', 'carrying_passenger', 'other',
      ];
      expect(filters({ categories: all })).toEqual([]);
      expect(filters({ categories: [] })).toEqual(['categories: Too small: expected array to have >=1 items']);
      expect(filters({ categories: [...all, 'other'] })).toEqual(['categories: Too big: expected array to have <=13 items']);
      expect(filters({ categories: ['fire'] })[0]).toMatch(/^categories\.0: Invalid option/);
    });
  });

  describe('severities', () => {
    it('are whole numbers 1..4, one to four of them', () => {
      expect(filters({ severities: [1] })).toEqual([]);
      expect(filters({ severities: [4] })).toEqual([]);
      expect(filters({ severities: [0] })).toEqual(['severities.0: Too small: expected number to be >=1']);
      expect(filters({ severities: [1, 5] })).toEqual(['severities.1: Too big: expected number to be <=4']);
      expect(filters({ severities: [2.5] })).toEqual(['severities.0: Invalid input: expected int, received number']);
      expect(filters({ severities: [] })).toEqual(['severities: Too small: expected array to have >=1 items']);
      expect(filters({ severities: [1, 2, 3, 4, 4] })).toEqual(['severities: Too big: expected array to have <=4 items']);
    });
  });

  describe('storeIds and cityIds', () => {
    it.each([
      ['storeIds', 1000],
      ['cityIds', 100],
    ])('%s: positive int4 ids, 1 to %i of them', (field, max) => {
      expect(filters({ [field]: [1] })).toEqual([]);
      expect(filters({ [field]: [2_147_483_647] })).toEqual([]);
      expect(filters({ [field]: range(max) })).toEqual([]);
      expect(filters({ [field]: [0] })).toEqual([`${field}.0: Too small: expected number to be >=1`]);
      expect(filters({ [field]: [3, 2_147_483_648] })).toEqual([`${field}.1: Too big: expected number to be <=2147483647`]);
      expect(filters({ [field]: [1.5] })).toEqual([`${field}.0: Invalid input: expected int, received number`]);
      expect(filters({ [field]: [] })).toEqual([`${field}: Too small: expected array to have >=1 items`]);
      expect(filters({ [field]: range(max + 1) })).toEqual([`${field}: Too big: expected array to have <=${max} items`]);
    });
  });

  it('overdueOnly is a boolean', () => {
    expect(filters({ overdueOnly: false })).toEqual([]);
    expect(filters({ overdueOnly: 'yes' })).toEqual(['overdueOnly: Invalid input: expected boolean, received string']);
  });

  describe('hourOfWeek', () => {
    it('is a day 0..6 and an hour 0..23, whole numbers', () => {
      expect(filters({ hourOfWeek: { day: 0, hour: 0 } })).toEqual([]);
      expect(filters({ hourOfWeek: { day: 6, hour: 23 } })).toEqual([]);
      expect(filters({ hourOfWeek: { day: -1, hour: 0 } })).toEqual(['hourOfWeek.day: Too small: expected number to be >=0']);
      expect(filters({ hourOfWeek: { day: 7, hour: 0 } })).toEqual(['hourOfWeek.day: Too big: expected number to be <=6']);
      expect(filters({ hourOfWeek: { day: 0, hour: -1 } })).toEqual(['hourOfWeek.hour: Too small: expected number to be >=0']);
      expect(filters({ hourOfWeek: { day: 0, hour: 24 } })).toEqual(['hourOfWeek.hour: Too big: expected number to be <=23']);
      expect(filters({ hourOfWeek: { day: 1.5, hour: 0 } })).toEqual(['hourOfWeek.day: Invalid input: expected int, received number']);
      expect(filters({ hourOfWeek: { day: 1, hour: 0.5 } })).toEqual(['hourOfWeek.hour: Invalid input: expected int, received number']);
    });
  });

  describe('q', () => {
    it('is trimmed on both sides, then 1..100 characters', () => {
      expect(FiltersSchema.parse({ q: '  helmet \t' }).q).toBe('helmet');
      expect(FiltersSchema.parse({ q: 'x'.repeat(100) }).q).toHaveLength(100);
      // the bound applies after trimming
      expect(FiltersSchema.parse({ q: ` ${'x'.repeat(100)} ` }).q).toHaveLength(100);
      expect(filters({ q: '   ' })).toEqual(['q: Too small: expected string to have >=1 characters']);
      expect(filters({ q: 'x'.repeat(101) })).toEqual(['q: Too big: expected string to have <=100 characters']);
    });

    it('refuses control characters', () => {
      expect(filters({ q: 'a\u0000b' })).toEqual(['q: must not contain control characters (such as NUL)']);
      expect(filters({ q: 'a\u001bb' })).toEqual(['q: must not contain control characters (such as NUL)']);
    });
  });
});

describe('the default review rule', () => {
  it('leaves out rejected AI detections only; pending, confirmed and manual incidents count', () => {
    expect(passesDefaultReview('rejected')).toBe(false);
    expect(passesDefaultReview('pending')).toBe(true);
    expect(passesDefaultReview('confirmed')).toBe(true);
    expect(passesDefaultReview(null)).toBe(true);
  });

  it('has the same rule in SQL, for an alias and an ENUM type', () => {
    expect(defaultReviewSql()).toBe("i.review IS DISTINCT FROM 'rejected'");
    expect(defaultReviewSql('x')).toBe("x.review IS DISTINCT FROM 'rejected'");
    expect(defaultReviewSql('i', 'review_state')).toBe("i.review IS DISTINCT FROM CAST('rejected' AS review_state)");
  });
});

describe('BboxSchema', () => {
  const bbox = (input: unknown) => problems(BboxSchema, input);
  it('accepts [west, south, east, north] within the world', () => {
    expect(bbox([113.8, 22.1, 114.5, 22.6])).toEqual([]);
    expect(bbox([-180, -90, 180, 90])).toEqual([]);
  });

  it('refuses a coordinate outside the world, naming its position and the bound', () => {
    expect(bbox([-180.001, 0, 1, 1])).toEqual(['0: Too small: expected number to be >=-180']);
    expect(bbox([0, -90.001, 1, 1])).toEqual(['1: Too small: expected number to be >=-90']);
    expect(bbox([0, 0, 180.001, 1])).toEqual(['2: Too big: expected number to be <=180']);
    expect(bbox([0, 0, 1, 90.001])).toEqual(['3: Too big: expected number to be <=90']);
    expect(bbox([0, -91, 1, -90.5])).toContain('3: Too small: expected number to be >=-90');
    expect(bbox([181, 0, 182, 1])).toContain('0: Too big: expected number to be <=180');
    expect(bbox([0, 91, 1, 92])).toContain('1: Too big: expected number to be <=90');
    expect(bbox([-182, 0, -181, 1])).toContain('2: Too small: expected number to be >=-180');
  });

  it('refuses an empty or inverted box, saying which sides', () => {
    const westEast = ': west must be less than east ([west, south, east, north])';
    const southNorth = ': south must be less than north ([west, south, east, north])';
    expect(bbox([114, 22, 113, 23])).toEqual([westEast]);
    expect(bbox([114, 22, 114, 23])).toEqual([westEast]);
    expect(bbox([113, 23, 114, 22])).toEqual([southNorth]);
    expect(bbox([113, 22, 114, 22])).toEqual([southNorth]);
  });

  it('refuses a box of the wrong length', () => {
    expect(bbox([1, 2, 3])).not.toEqual([]);
    expect(bbox([1, 2, 3, 4, 5])).not.toEqual([]);
  });
});

describe('ResolutionSchema', () => {
  it('takes the served resolutions 5..11, whole numbers', () => {
    for (const r of [5, 6, 7, 8, 9, 10, 11]) expect(ResolutionSchema.safeParse(r).success).toBe(true);
    expect(problems(ResolutionSchema, 4)).toEqual([': Too small: expected number to be >=5']);
    expect(problems(ResolutionSchema, 12)).toEqual([': Too big: expected number to be <=11']);
    expect(problems(ResolutionSchema, 7.5)).toEqual([': Invalid input: expected int, received number']);
  });
});

describe('CellHexSchema', () => {
  it('takes 15 hex digits, either case, and nothing around them', () => {
    expect(problems(CellHexSchema, '89411c0b1b3ffff')).toEqual([]);
    expect(problems(CellHexSchema, '89411C0B1B3FFFF')).toEqual([]);
    const message = ': must be an H3 cell id of 15 hex digits';
    expect(problems(CellHexSchema, '89411c0b1b3fff')).toEqual([message]);
    expect(problems(CellHexSchema, '89411c0b1b3ffff0')).toEqual([message]);
    expect(problems(CellHexSchema, 'x89411c0b1b3ffff')).toEqual([message]);
    expect(problems(CellHexSchema, '89411c0b1b3ffffx')).toEqual([message]);
    expect(problems(CellHexSchema, '89411c0b1g3ffff')).toEqual([message]);
  });
});
