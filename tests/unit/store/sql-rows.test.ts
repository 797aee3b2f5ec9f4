import { describe, expect, it } from 'vitest';
import { col, MissingColumnError } from '../../../server/store/sql-rows.js';

// Rows as the engines give them: DuckDB integers as bigint, pg BIGINTs as decimal strings,
// SQL NULL as null. A misspelt column is `undefined`, which num() used to read as 0.
const row = { open_count: 3n, closed: '7', share: 0.5, name: 'Gulou', note: null, at: new Date('2025-01-31T16:00:00Z'), h3: '617700169958293503' };

describe('typed row readers (col)', () => {
  it('read each column of a row from either engine', () => {
    expect(col.number(row, 'open_count')).toBe(3);
    expect(col.number(row, 'closed')).toBe(7);
    expect(col.number(row, 'share')).toBe(0.5);
    expect(col.numberOrNull(row, 'note')).toBeNull();
    expect(col.text(row, 'name')).toBe('Gulou');
    expect(col.textOrNull(row, 'note')).toBeNull();
    expect(col.date(row, 'at').toISOString()).toBe('2025-01-31T16:00:00.000Z');
    expect(col.dateOrNull(row, 'note')).toBeNull();
    expect(col.bigint(row, 'h3')).toBe(617700169958293503n);
  });

  it.each([
    ['number', (r: typeof row) => col.number(r, 'open_cuont')],
    ['numberOrNull', (r: typeof row) => col.numberOrNull(r, 'open_cuont')],
    ['text', (r: typeof row) => col.text(r, 'nmae')],
    ['textOrNull', (r: typeof row) => col.textOrNull(r, 'nmae')],
    ['date', (r: typeof row) => col.date(r, 'at_')],
    ['dateOrNull', (r: typeof row) => col.dateOrNull(r, 'at_')],
    ['bigint', (r: typeof row) => col.bigint(r, 'h3_')],
  ])('%s throws naming a missing column instead of reading 0 or null', (_reader, read) => {
    let thrown: unknown;
    try {
      read(row);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(MissingColumnError);
    const wanted = /no column "(\w+)"/.exec((thrown as Error).message)?.[1];
    expect(['open_cuont', 'nmae', 'at_', 'h3_']).toContain(wanted);
    expect((thrown as MissingColumnError).column).toBe(wanted);
  });

  it('the message names the missing column and lists the ones the row has', () => {
    expect(() => col.number({ open_count: 1 }, 'opne_count')).toThrow('row has no column "opne_count" (it has: open_count)');
  });

  it('a NULL in a column read as never-NULL throws naming the column', () => {
    expect(() => col.text(row, 'note')).toThrow('column "note" is NULL, expected text');
    expect(() => col.date(row, 'note')).toThrow('column "note" is NULL, expected a timestamp');
  });

  it('text read from a number is an error, not a silent cast', () => {
    expect(() => col.text(row, 'share')).toThrow('column "share" is number, expected text');
  });
});
