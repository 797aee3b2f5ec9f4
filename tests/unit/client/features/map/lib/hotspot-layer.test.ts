/**
 * What the map draws and says in a hot-spot mode (client/features/map/lib/hotspot-layer.ts), from
 * a `map.hotspots` answer. The translator is a plain function that writes the key and its
 * parameters, so each test reads which message and which figures a row or tooltip uses.
 */
import { describe, expect, it } from 'vitest';
import type { Translate } from '../../../../../../client/i18n/i18n.js';
import { hotspotLayer } from '../../../../../../client/features/map/lib/hotspot-layer.js';
import type { Hotspots } from '../../../../../../client/features/map/api/use-hotspots.js';

const t: Translate = (key, params) => (params ? `${key} ${JSON.stringify(params)}` : key);

const gi: Hotspots = {
  mode: 'gi',
  resolution: 8,
  cells: ['a', 'b', 'c', 'd'],
  count: [12, 3, 0, 5],
  z: [3.4567, -2.001, 0.1, 1.7],
  q: [0.0004, 0.03, 0.9, 0.08],
  bin: [3, -2, 0, 1],
};

const emerging: Hotspots = {
  mode: 'emerging',
  resolution: 7,
  weeks: 12,
  cells: ['a', 'b', 'c'],
  count: [20, 4, 1],
  class: ['intensifying_hot', 'new_cold', 'no_pattern'],
  z: [3, -2, 0],
  trendZ: [2.345, -1, 0],
  trendP: [0.01, 0.3, 1],
  meaning: { intensifying_hot: 'Hot in 90 % of the weeks, and more so.', new_cold: 'Cold for the first time.' },
};

describe('the Gi* layer', () => {
  const layer = hotspotLayer(gi, t, 'zh');

  it('draws the cells with their counts and bins, hot columns tall, cold and neutral flat', () => {
    expect(layer.columns).toEqual({ resolution: 8, cells: ['a', 'b', 'c', 'd'], count: [12, 3, 0, 5] });
    expect(layer.values).toEqual([3, -2, 0, 1]);
    expect(layer.total).toBe(20);
    expect([3, 2, 1, 0, -1, -3].map(layer.heightOf)).toEqual([1, 2 / 3, 1 / 3, 0, 0, 0]);
    expect(layer.colorOf(3)).toEqual([178, 24, 43, 255]);
    expect(layer.title).toBe('mode.gi.legend');
  });

  it('lists all seven bins, hottest first, each with its label and meaning', () => {
    expect(layer.classes.map((c) => c.label)).toEqual([
      'hotspot.hot {"confidence":99}',
      'hotspot.hot {"confidence":95}',
      'hotspot.hot {"confidence":90}',
      'hotspot.none',
      'hotspot.cold {"confidence":90}',
      'hotspot.cold {"confidence":95}',
      'hotspot.cold {"confidence":99}',
    ]);
    expect(layer.classes.map((c) => c.meaning)).toEqual([
      'hotspot.hot.meaning', 'hotspot.hot.meaning', 'hotspot.hot.meaning', 'hotspot.none.meaning',
      'hotspot.cold.meaning', 'hotspot.cold.meaning', 'hotspot.cold.meaning',
    ]);
    expect(layer.classes[0]!.color).toEqual([178, 24, 43, 255]);
    expect(layer.classes[6]!.color).toEqual([33, 102, 172, 255]);
  });

  it('says in the tooltip the class, count, z to two decimals and q to three (or < 0.001)', () => {
    expect(JSON.parse(layer.tooltip(0).slice('hotspot.tooltip.gi '.length))).toEqual({
      label: 'hotspot.hot {"confidence":99}', meaning: 'hotspot.hot.meaning', count: 12, z: '3.46', q: '< 0.001',
    });
    expect(JSON.parse(layer.tooltip(1).slice('hotspot.tooltip.gi '.length))).toEqual({
      label: 'hotspot.cold {"confidence":95}', meaning: 'hotspot.cold.meaning', count: 3, z: '-2.00', q: '0.030',
    });
    expect(layer.tooltip(2)).toContain('"label":"hotspot.none"');
    expect(layer.tooltip(2)).toContain('"q":"0.900"');
    // a q of exactly 0.001 is written as such
    expect(hotspotLayer({ ...gi, q: [0.001, 0.03, 0.9, 0.08] }, t, 'zh').tooltip(0)).toContain('"q":"0.001"');
    // beyond the cells: not significant, nothing counted
    expect(JSON.parse(layer.tooltip(9).slice('hotspot.tooltip.gi '.length))).toEqual({
      label: 'hotspot.none', meaning: 'hotspot.none.meaning', count: 0, z: '0.00', q: '1.000',
    });
  });
});

describe('the emerging layer', () => {
  it('draws hot classes tall and the others low, and names the weeks in the title', () => {
    const layer = hotspotLayer(emerging, t, 'zh');
    expect(layer.values).toEqual([2, 8, 16]);
    expect(layer.values.map(layer.heightOf)).toEqual([1, 0.1, 0.1]);
    expect(layer.heightOf(99)).toBe(0.1);
    expect(layer.title).toBe('mode.emerging.legend {"weeks":12}');
    expect(layer.total).toBe(25);
    expect(layer.colorOf(2)).toEqual([128, 0, 38, 255]);
  });

  it('lists only the classes on the map, in legend order', () => {
    const layer = hotspotLayer({ ...emerging, class: ['new_cold', 'intensifying_hot', 'new_cold'] }, t, 'zh');
    expect(layer.classes.map((c) => c.label)).toEqual(['emerging.intensifying_hot', 'emerging.new_cold']);
    expect(layer.classes.map((c) => c.color)).toEqual([[128, 0, 38, 255], [8, 81, 156, 255]]);
  });

  it('takes the server\'s English meaning in English, the translation in Chinese or when the server has none', () => {
    const en = hotspotLayer(emerging, t, 'en');
    expect(en.classes.map((c) => c.meaning)).toEqual([
      'Hot in 90 % of the weeks, and more so.',
      'Cold for the first time.',
      'emerging.no_pattern.meaning',
    ]);
    const zh = hotspotLayer(emerging, t, 'zh');
    expect(zh.classes.map((c) => c.meaning)).toEqual([
      'emerging.intensifying_hot.meaning',
      'emerging.new_cold.meaning',
      'emerging.no_pattern.meaning',
    ]);
  });

  it('says in the tooltip the class, count, weeks and the trend z to two decimals', () => {
    const layer = hotspotLayer(emerging, t, 'en');
    expect(JSON.parse(layer.tooltip(0).slice('hotspot.tooltip.emerging '.length))).toEqual({
      label: 'emerging.intensifying_hot', meaning: 'Hot in 90 % of the weeks, and more so.', count: 20, weeks: 12, trend: '2.35',
    });
    expect(JSON.parse(layer.tooltip(7).slice('hotspot.tooltip.emerging '.length))).toEqual({
      label: 'emerging.no_pattern', meaning: 'emerging.no_pattern.meaning', count: 0, weeks: 12, trend: '0.00',
    });
  });
});
