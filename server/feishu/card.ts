/**
 * The interactive card of a hot-spot alert (card JSON 2.0, reference §2): store, place, class in
 * plain words, counts, and a button that opens the map at the cell. The same card object goes to
 * a custom bot (as `card`) and to the app bot (as the JSON string `content`).
 */
import { EMERGING_MEANING_ZH, EMERGING_ZH, ZH } from '../domain/glossary.js';
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

/** `<publicUrl>/?cell=<h3>`: the map opens at the cell. */
export function cellMapUrl(publicUrl: string, cell: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/?cell=${encodeURIComponent(cell)}`;
}

/** The Feishu app whose web app Hexwatch is, for links that open it inside Feishu. */
export interface FeishuAppLinkTarget {
  appId: string;
  /** The open platform's base URL: Lark's (open.larksuite.com) has Lark's applink host. */
  baseUrl: string;
}

/**
 * An AppLink that opens Hexwatch's web app inside Feishu at `url`'s path and query (reference:
 * AppLink "open a web app", `client/web_app/open`). A plain https link in a card opens the
 * system browser on desktop Feishu, and with it a second sign-in. The path must not carry `?`:
 * the app URL's query goes into the applink's own query.
 */
export function feishuAppLink(app: FeishuAppLinkTarget, url: string): string {
  const target = new URL(url);
  const host = /larksuite\.com/.test(app.baseUrl) ? 'applink.larksuite.com' : 'applink.feishu.cn';
  const link = new URL(`https://${host}/client/web_app/open`);
  link.searchParams.set('appId', app.appId);
  link.searchParams.set('mode', 'appCenter');
  link.searchParams.set('path', target.pathname);
  for (const [k, v] of target.searchParams) link.searchParams.set(k, v);
  return link.toString();
}

/**
 * A card button's `open_url` behaviour: the applink inside Feishu's clients (desktop, iOS,
 * Android), the plain URL everywhere else (card JSON 2.0 `default_url` is the fallback).
 */
export function openUrlBehavior(url: string, app: FeishuAppLinkTarget | null | undefined): Record<string, unknown> {
  if (!app) return { type: 'open_url', default_url: url };
  const link = feishuAppLink(app, url);
  return { type: 'open_url', default_url: url, pc_url: link, ios_url: link, android_url: link };
}

/** The alert's card, in the glossary's words (the store managers read Chinese). */
export function alertCard(input: AlertCardInput, publicUrl: string, app?: FeishuAppLinkTarget | null): Record<string, unknown> {
  const title = EMERGING_ZH[input.class];
  const lines = [
    `**${ZH.store}**：${input.storeName}（${input.storeCode}）`,
    `**位置**：${input.lat.toFixed(5)}, ${input.lng.toFixed(5)}`,
    `**类型**：${title}。${EMERGING_MEANING_ZH[input.class]}`,
    `**事件**：${input.week} 这一周 ${input.weekCount} 起；最近 ${input.weeks} 周共 ${input.totalCount} 起`,
  ];
  for (const cm of input.countermeasures ?? []) {
    lines.push(`**对策**：“${cm.title}”（#${cm.id}，自 ${cm.startDate} 起）曾判定有效，此处却又成为热点：请检查它是否仍然有效。`);
  }
  return {
    schema: '2.0',
    header: { title: { tag: 'plain_text', content: `Hexwatch: ${title} · ${input.storeName}` }, template: 'red' },
    body: {
      elements: [
        { tag: 'markdown', content: lines.join('\n') },
        {
          tag: 'button',
          text: { tag: 'plain_text', content: '查看地图' },
          type: 'default',
          behaviors: [openUrlBehavior(cellMapUrl(publicUrl, input.cell), app)],
        },
      ],
    },
  };
}
