/**
 * The interactive card of a hot-spot alert (card JSON 2.0, reference §2): store, place, class in
 * plain words, counts, and a button that opens the map at the cell. The same card object goes to
 * a custom bot (as `card`) and to the app bot (as the JSON string `content`).
 */
import { EMERGING_MEANING } from '../domain/hotspots/emerging.js';
import type { EmergingClass } from '../domain/hotspots/emerging.js';

export interface AlertCardInput {
  storeCode: string;
  storeName: string;
  /** h3-js id of the hot-spot cell. */
  cell: string;
  /** The cell's centre, WGS-84. */
  lat: number;
  lng: number;
  class: EmergingClass;
  /** Incidents in the cell in the latest week analysed, and over all the weeks. */
  weekCount: number;
  totalCount: number;
  weeks: number;
  /** Monday (YYYY-MM-DD, city time) of the latest week analysed. */
  week: string;
  /** Countermeasures in the cell judged effective: the hot spot is back despite them (issue 16). */
  countermeasures?: ReadonlyArray<{ id: number; title: string; startDate: string }>;
}

const CLASS_TITLE: Partial<Record<EmergingClass, string>> = {
  new_hot: '新热点 New hot spot',
  consecutive_hot: '连续热点 Consecutive hot spot',
  intensifying_hot: '加剧热点 Intensifying hot spot',
};

/** `<publicUrl>/?cell=<h3>`: the map opens at the cell. */
export function cellMapUrl(publicUrl: string, cell: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/?cell=${encodeURIComponent(cell)}`;
}

export function alertCard(input: AlertCardInput, publicUrl: string): Record<string, unknown> {
  const title = CLASS_TITLE[input.class] ?? input.class;
  const lines = [
    `**门店 Store**: ${input.storeName} (${input.storeCode})`,
    `**位置 Place**: ${input.lat.toFixed(5)}, ${input.lng.toFixed(5)} (H3 ${input.cell})`,
    `**类型 Class**: ${title}. ${EMERGING_MEANING[input.class]}`,
    `**事件 Incidents**: ${input.weekCount} in the week of ${input.week}; ${input.totalCount} in the last ${input.weeks} weeks`,
  ];
  for (const cm of input.countermeasures ?? []) {
    lines.push(`**对策 Countermeasure**: "${cm.title}" (#${cm.id}, since ${cm.startDate}) was judged effective, yet the cell is a hot spot again: check it still works.`);
  }
  return {
    schema: '2.0',
    header: { title: { tag: 'plain_text', content: `Hexwatch: ${title} · ${input.storeName}` }, template: 'red' },
    body: {
      elements: [
        { tag: 'markdown', content: lines.join('\n') },
        {
          tag: 'button',
          text: { tag: 'plain_text', content: '查看地图 Open map' },
          type: 'default',
          behaviors: [{ type: 'open_url', default_url: cellMapUrl(publicUrl, input.cell) }],
        },
      ],
    },
  };
}
