/**
 * What the map draws and says in a hot-spot mode, from a `map.hotspots` answer: the cells as
 * hexbin columns, a colour per cell, legend rows with their meaning, the tooltip text.
 */
import type { Lang, Translate } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import type { Hotspots } from '../api/use-hotspots.js';
import type { Rgba } from './color-scale.js';
import { EMERGING_ORDER, emergingColor, emergingIndex, GI_BINS, giBinParts, giColor } from './hotspot-scale.js';

export interface HotspotLayer {
  columns: { resolution: number; cells: string[]; count: number[] };
  /** Gi*: the bin (−3..3); emerging: the index of the class in EMERGING_ORDER. */
  values: number[];
  colorOf: (value: number) => Rgba;
  heightOf: (value: number) => number;
  title: string;
  classes: Array<{ label: string; color: Rgba; meaning: string }>;
  tooltip: (index: number) => string;
  /** Incidents in the analysed cells. */
  total: number;
}

function giLabel(bin: number, t: Translate): { label: string; meaning: string } {
  const parts = giBinParts(bin);
  if (!parts) return { label: t('hotspot.none'), meaning: t('hotspot.none.meaning') };
  return { label: t(`hotspot.${parts.kind}`, { confidence: parts.confidence }), meaning: t(`hotspot.${parts.kind}.meaning`) };
}

export function hotspotLayer(data: Hotspots, t: Translate, lang: Lang): HotspotLayer {
  const columns = { resolution: data.resolution, cells: data.cells, count: data.count };
  const total = data.count.reduce((a, b) => a + b, 0);
  if (data.mode === 'gi') {
    return {
      columns,
      values: data.bin,
      colorOf: giColor,
      heightOf: (bin) => Math.max(0, bin) / 3,
      title: t('mode.gi.legend'),
      // Every bin, hottest first, whether present or not: the scale reads as one diverging ramp.
      classes: GI_BINS.map((bin) => ({ ...giLabel(bin, t), color: giColor(bin) })),
      tooltip: (i) => {
        const { label, meaning } = giLabel(data.bin[i] ?? 0, t);
        return t('hotspot.tooltip.gi', {
          label,
          meaning,
          count: data.count[i] ?? 0,
          z: (data.z[i] ?? 0).toFixed(2),
          q: formatP(data.q[i] ?? 1),
        });
      },
      total,
    };
  }
  const values = data.class.map(emergingIndex);
  // The server words the meanings in English; in Chinese the client's translation is used.
  const emergingText = (name: string) => {
    const key = `emerging.${EMERGING_ORDER[emergingIndex(name)]}` as const;
    const serverMeaning = (data.meaning as Record<string, string | undefined>)[name];
    return {
      label: t(key as MessageKey),
      meaning: lang === 'en' && serverMeaning ? serverMeaning : t(`${key}.meaning` as MessageKey),
    };
  };
  const present = new Set(data.class as string[]);
  return {
    columns,
    values,
    colorOf: emergingColor,
    heightOf: (index) => (EMERGING_ORDER[index]?.endsWith('_hot') ? 1 : 0.1),
    title: t('mode.emerging.legend', { weeks: data.weeks }),
    // Only the classes on the map: 17 rows would not fit, and an absent class explains nothing.
    classes: EMERGING_ORDER.filter((c) => present.has(c)).map((c) => ({ ...emergingText(c), color: emergingColor(emergingIndex(c)) })),
    tooltip: (i) => {
      const { label, meaning } = emergingText(data.class[i] ?? 'no_pattern');
      return t('hotspot.tooltip.emerging', {
        label,
        meaning,
        count: data.count[i] ?? 0,
        weeks: data.weeks,
        trend: (data.trendZ[i] ?? 0).toFixed(2),
      });
    },
    total,
  };
}

function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}
