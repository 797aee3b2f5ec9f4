/**
 * One vocabulary (issue 19): every Chinese string of the app, its charts, legend, alerts and
 * Feishu cards uses the glossary's word for each concept (server/domain/glossary.ts), and has no
 * Latin-letter run but proper names. The emerging classes read the same everywhere.
 */
import { describe, expect, it } from 'vitest';
import { zh as appZh } from '../../../client/i18n/strings.js';
import { TABLES as adminTables } from '../../../client/features/admin/strings.js';
import { TABLES as alertsTables } from '../../../client/features/alerts/strings.js';
import { TABLES as statsTables } from '../../../client/features/stats/strings.js';
import { TABLES as liveTables } from '../../../client/features/live/strings.js';
import { TABLES as countermeasureTables } from '../../../client/features/countermeasures/strings.js';
import { TABLES as aiTrustTables } from '../../../client/features/ai-trust/strings.js';
import { TABLES as reviewTables } from '../../../client/features/incidents/review-strings.js';
import { alertCard } from '../../../server/feishu/card.js';
import { digestCard, draftCard, escalationCard } from '../../../server/feishu/work-cards.js';
import { EMERGING_ZH, latinRunsOutsideGlossary, zhVariantsIn } from '../../../server/domain/glossary.js';
import { EMERGING_CLASSES } from '../../../server/domain/hotspots/emerging.js';

const tables: Record<string, Record<string, string>> = {
  app: appZh,
  admin: adminTables.zh,
  alerts: alertsTables.zh,
  stats: statsTables.zh,
  live: liveTables.zh,
  countermeasures: countermeasureTables.zh,
  aiTrust: aiTrustTables.zh,
  review: reviewTables.zh,
};

/** Text a person reads: placeholders ({name}) and markdown markers are not words. */
function readable(text: string): string {
  // store codes (FZ-001) are proper names
  return text.replace(/\{[\w.]+\}/g, ' ').replace(/\*\*/g, ' ').replace(/\b[A-Z]{2,3}-\d{3}\b/g, ' ');
}

/** Every text in a Feishu card: the strings of its JSON, but not ids, URLs and enum values. */
function cardTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string') {
      if (['content', 'text'].includes(key) && !/^https?:/.test(v)) out.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(card, '');
  return out;
}

const links = { publicUrl: 'https://hexwatch.example.com', app: { appId: 'cli_1', baseUrl: 'https://open.feishu.cn' } };
const item = { id: 7, version: 2, kind: 'accident' as const, category: 'vehicle_collision' as const, severity: 3 as const, status: 'open' as const, dueAt: new Date('2026-11-29T00:00:00Z'), occurredAt: new Date('2026-11-28T00:00:00Z') };
const cards = {
  alert: alertCard({ storeCode: 'FZ-001', storeName: '鼓楼店', cell: '8941b530aafffff', lat: 26, lng: 119, class: 'intensifying_hot', weekCount: 3, totalCount: 9, weeks: 12, week: '2026-11-23' }, links.publicUrl, links.app),
  digest: digestCard(
    {
      store: { id: 1, code: 'FZ-001', name: '鼓楼店', cityName: '福州', tz: 'Asia/Shanghai' },
      managerName: '林',
      now: new Date('2026-11-30T01:00:00Z'),
      overdue: { total: 1, top: [item] },
      dueToday: { total: 0, top: [] },
      awaitingReview: { total: 0, top: [] },
      closure: { month: '2026-11', rate: 0.8, occurred: 10, closed: 8, target: 0.9, rank: 2, of: 5 },
    },
    links,
  ),
  escalation: escalationCard({ incident: item, store: { id: 1, code: 'FZ-001', name: '鼓楼店' }, overdueMs: 30 * 3_600_000, step: 1, managers: ['林'] }, links),
  draft: draftCard({ id: 9, version: 1, storeName: '鼓楼店', description: '路口相撞', reporterName: '林', occurredAt: new Date() }, links),
};

describe('the Chinese vocabulary', () => {
  for (const [name, table] of Object.entries(tables)) {
    it(`${name} strings use the glossary's words and no stray Latin`, () => {
      const variants = Object.entries(table).flatMap(([key, text]) => zhVariantsIn(text).map((w) => `${key}: ${w}`));
      expect(variants).toEqual([]);
      const latin = Object.entries(table).flatMap(([key, text]) => latinRunsOutsideGlossary(readable(text)).map((w) => `${key}: ${w}`));
      expect(latin).toEqual([]);
    });
  }

  it.each(Object.entries(cards))('the %s card uses the glossary\'s words and no stray Latin', (_name, card) => {
    const texts = cardTexts(card).map(readable);
    expect(texts.flatMap(zhVariantsIn)).toEqual([]);
    expect(texts.flatMap(latinRunsOutsideGlossary)).toEqual([]);
  });

  it('names each emerging class as the glossary does, in the legend and in alerts', () => {
    for (const cls of EMERGING_CLASSES) {
      expect(appZh[`emerging.${cls}` as keyof typeof appZh], cls).toBe(EMERGING_ZH[cls]);
      const alertKey = `class.${cls}`;
      if (alertKey in alertsTables.zh) expect((alertsTables.zh as Record<string, string>)[alertKey], cls).toBe(EMERGING_ZH[cls]);
    }
  });
});
