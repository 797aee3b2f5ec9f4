import { describe, expect, it } from 'vitest';
import { neutralType, orderByForeignKeys, quoteIdent } from '../../../server/backup/catalog.js';
import { microsToIso } from '../../../server/backup/format.js';

describe('backup catalog', () => {
  it('orders tables after the tables they reference, ties by name', () => {
    const edges = [
      { child: 'store', parent: 'city' },
      { child: 'user_store', parent: 'store' },
      { child: 'user_store', parent: 'app_user' },
      { child: 'countermeasure', parent: 'store' },
      { child: 'tree', parent: 'tree' }, // a self-reference inserts in row order
    ];
    expect(orderByForeignKeys(['user_store', 'tree', 'store', 'meta', 'countermeasure', 'city', 'app_user'], edges)).toEqual([
      'app_user',
      'city',
      'meta',
      'tree',
      'store',
      'countermeasure',
      'user_store',
    ]);
  });

  it('refuses a foreign-key cycle, naming its tables', () => {
    expect(() =>
      orderByForeignKeys(['a', 'b', 'c'], [
        { child: 'a', parent: 'b' },
        { child: 'b', parent: 'a' },
      ]),
    ).toThrow('backup cannot order tables a, b: their foreign keys form a cycle');
  });

  it.each([
    ['INTEGER', 'integer'],
    ['integer', 'integer'],
    ['BIGINT', 'bigint'],
    ['SMALLINT', 'smallint'],
    ['DOUBLE', 'double'],
    ['double precision', 'double'],
    ['VARCHAR', 'text'],
    ['text', 'text'],
    ["ENUM('open', 'closed')", 'text'],
    ['USER-DEFINED', 'text'],
    ['TIMESTAMP WITH TIME ZONE', 'timestamptz'],
    ['timestamp with time zone', 'timestamptz'],
    ['timestamp without time zone', 'timestamp'],
    ['DATE', 'date'],
    ['BOOLEAN', 'boolean'],
    ['DECIMAL(18,3)', 'numeric'],
    ['jsonb', 'json'],
  ])('reads catalog type %s as %s', (given, want) => {
    expect(neutralType(given, 't.c')).toBe(want);
  });

  it('refuses a type it cannot carry, naming table and column', () => {
    expect(() => neutralType('DOUBLE[]', 'exposure.weights')).toThrow(/cannot carry column exposure\.weights of type DOUBLE\[\]/);
    expect(() => neutralType('BLOB', 'photo.bytes')).toThrow(/photo\.bytes/);
  });

  it('quotes only plain identifiers', () => {
    expect(quoteIdent('incident_event')).toBe('"incident_event"');
    expect(() => quoteIdent('x"; DROP TABLE incident; --')).toThrow(/unexpected identifier/);
  });
});

describe('backup timestamps', () => {
  it.each([
    [0n, true, '1970-01-01T00:00:00.000000Z'],
    [1_735_693_384_123_456n, true, '2025-01-01T01:03:04.123456Z'],
    [1_735_693_384_000_001n, false, '2025-01-01T01:03:04.000001'],
    [-1n, true, '1969-12-31T23:59:59.999999Z'],
    [-1_500_000n, true, '1969-12-31T23:59:58.500000Z'],
  ])('writes %s µs as %s', (us, zulu, iso) => {
    expect(microsToIso(us, zulu)).toBe(iso);
  });
});
