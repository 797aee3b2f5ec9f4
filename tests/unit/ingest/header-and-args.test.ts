import { describe, expect, it } from 'vitest';
import { checkHeader, HeaderError } from '../../../server/ingest/profile.js';
import { hexwatchProfile } from '../../../server/ingest/profiles/hexwatch.js';
import { hkTdProfile } from '../../../server/ingest/profiles/hk-td.js';
import { parseImportArgs } from '../../../server/ingest/import-command.js';

const HK_HEADER = ['id', 'occurred_at', 'severity', 'latitude', 'longitude', 'collision_type', 'vehicles', 'casualties', 'district', 'street', 'hit_and_run', 'weather', 'light', 'road_hierarchy'];

describe('checkHeader', () => {
  it('accepts the published HK header and normalises case and spaces', () => {
    expect(checkHeader(hkTdProfile, HK_HEADER)).toEqual(HK_HEADER);
    expect(checkHeader(hexwatchProfile, [' External_ID', 'kind', 'category', 'severity', 'occurred_at', 'lat', 'lng'])[0]).toBe('external_id');
  });

  it.each([
    [HK_HEADER.filter((h) => h !== 'latitude'), 'missing required column latitude'],
    [HK_HEADER.filter((h) => h !== 'latitude' && h !== 'severity'), 'missing required columns severity, latitude'],
    [[...HK_HEADER, 'lat'], 'unknown column "lat"'],
    [[...HK_HEADER, 'id'], 'repeated column id'],
  ])('refuses %j', (header, message) => {
    expect(() => checkHeader(hkTdProfile, header)).toThrow(HeaderError);
    expect(() => checkHeader(hkTdProfile, header)).toThrow(message);
  });

  it('says what the profile expects', () => {
    expect(() => checkHeader(hexwatchProfile, ['id', 'when'])).toThrow(
      /header does not fit the hexwatch profile: missing required columns external_id, kind, category, severity, occurred_at, lat, lng; unknown columns "id", "when"\. Required: .*; optional: store_code, city/,
    );
  });
});

describe('parseImportArgs', () => {
  it.each([
    [['--profile', 'hk-td', 'a.csv.gz'], { profile: 'hk-td', file: 'a.csv.gz', coords: 'wgs84', assign: null }],
    [['--profile=hexwatch', '--coords', 'gcj02', '--assign', 'nearest', 'b.csv'], { profile: 'hexwatch', file: 'b.csv', coords: 'gcj02', assign: 'nearest' }],
  ])('%j', (argv, expected) => {
    expect(parseImportArgs(argv)).toEqual(expected);
  });

  it.each([
    [['a.csv'], '--profile is required'],
    [['--profile', 'excel', 'a.csv'], 'unknown profile "excel"'],
    [['--profile', 'hk-td', '--coords', 'bd09', 'a.csv'], '--coords must be wgs84 or gcj02'],
    [['--profile', 'hk-td', '--assign', 'random', 'a.csv'], '--assign must be nearest'],
    [['--profile', 'hk-td'], 'expected one file, got 0'],
    [['--profile', 'hk-td', '--dry-run', 'a.csv'], "Unknown option '--dry-run'"],
  ])('%j -> usage', (argv, message) => {
    const r = parseImportArgs(argv);
    expect('usage' in r && r.usage).toContain(message);
  });
});
