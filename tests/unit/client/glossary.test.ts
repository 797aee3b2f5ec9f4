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
import {
  CATEGORY_ZH,
  EMERGING_MEANING_ZH,
  EMERGING_ZH,
  EN,
  KIND_ZH,
  latinRunsOutsideGlossary,
  REJECT_REASON_EN,
  REJECT_REASON_ZH,
  RESOLUTION_ZH,
  REVIEW_ZH,
  STATUS_ZH,
  ZH,
  ZH_VARIANTS,
  zhVariantsIn,
} from '../../../server/domain/glossary.js';
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

/** Han characters only (and the full-width punctuation of a sentence): a label a Chinese reader reads as such. */
const CHINESE_LABEL = /^[\u4e00-\u9fff]+$/;

describe('the glossary itself', () => {
  it('has the words issue 19 chose for the concepts that had several', () => {
    // the seed company's words for a store and its manager; severity; dismissed vs a rejected AI detection
    expect(ZH).toMatchObject({ store: '门店', storeManager: '店长', severity: '严重程度', dismissed: '已撤销', aiRejected: '误报' });
    expect(STATUS_ZH.dismissed).toBe('已撤销');
    expect(REVIEW_ZH.rejected).toBe('误报');
    // "rejected" never means two things
    expect(STATUS_ZH.dismissed).not.toBe(REVIEW_ZH.rejected);
  });

  it('gives every value of each vocabulary a Chinese label of its own (none empty, none shared)', () => {
    const groups: Record<string, Record<string, string>> = {
      ZH, KIND_ZH, STATUS_ZH, REVIEW_ZH, CATEGORY_ZH, RESOLUTION_ZH, REJECT_REASON_ZH, EMERGING_ZH,
    };
    for (const [name, group] of Object.entries(groups)) {
      for (const [key, label] of Object.entries(group)) expect(label, `${name}.${key}`).toMatch(CHINESE_LABEL);
      const labels = Object.values(group);
      expect(new Set(labels).size, `${name}: ${labels.join(' ')}`).toBe(labels.length);
    }
    expect(Object.keys(KIND_ZH)).toEqual(['accident', 'exception']);
    expect(Object.keys(REVIEW_ZH).sort()).toEqual(['confirmed', 'pending', 'rejected']);
  });

  it('gives every English word of the glossary and reason a text of its own', () => {
    for (const group of [EN, REJECT_REASON_EN]) {
      const words = Object.values(group);
      for (const w of words) expect(w).toMatch(/^[a-z][a-z ]*[a-z]$/);
      expect(new Set(words).size).toBe(words.length);
    }
    expect(Object.keys(REJECT_REASON_EN).sort()).toEqual(Object.keys(REJECT_REASON_ZH).sort());
    expect(Object.keys(REJECT_REASON_EN).sort()).toEqual(['false_detection', 'not_rider', 'other', 'unclear_image']);
    // a rejected detection is a false alarm in English too, not "rejected"
    expect(EN.aiRejected).toBe('false alarm');
    expect(EN.dismissed).toBe('dismissed');
  });

  it('names hot and cold classes in pairs (X热点 / X冷点), the meaning saying which', () => {
    for (const cls of EMERGING_CLASSES) {
      const name = EMERGING_ZH[cls];
      const meaning = EMERGING_MEANING_ZH[cls];
      expect(meaning, cls).toMatch(/^[^。]+。$/);
      if (cls === 'no_pattern') continue;
      const [base, side] = cls.split(/_(?=hot$|cold$)/) as [string, 'hot' | 'cold'];
      const other = `${base}_${side === 'hot' ? 'cold' : 'hot'}` as keyof typeof EMERGING_ZH;
      expect(name, cls).toMatch(side === 'hot' ? /热点$/ : /冷点$/);
      expect(name.slice(0, -2), cls).toBe(EMERGING_ZH[other].slice(0, -2));
      expect(meaning, cls).toContain(side === 'hot' ? '热点' : '冷点');
      // the pair's meanings read the same with hot and cold swapped
      const swap = (t: string) => t.replace(/热点|冷点/g, (w) => (w === '热点' ? '冷点' : '热点'));
      expect(swap(meaning), cls).toBe(EMERGING_MEANING_ZH[other]);
    }
    expect(new Set(Object.values(EMERGING_MEANING_ZH)).size).toBe(EMERGING_CLASSES.length);
  });

  it('lists variants that are not glossary words, each pointing at a glossary word', () => {
    const glossaryWords = [...Object.values(ZH), ...Object.values(EMERGING_ZH)];
    for (const { word, use } of ZH_VARIANTS) {
      expect(word).toMatch(CHINESE_LABEL);
      expect(glossaryWords).not.toContain(word);
      expect(glossaryWords.some((g) => use.includes(g)), `${word} -> ${use}`).toBe(true);
    }
    // the words issue 19 found in the UI
    expect(ZH_VARIANTS.map((v) => v.word)).toEqual(expect.arrayContaining(['前置仓', '严重度', '增强热点', '加剧热点']));
    expect(ZH_VARIANTS.find((v) => v.word === '前置仓')!.use).toBe('门店');
    expect(ZH_VARIANTS.find((v) => v.word === '严重度')!.use).toBe('严重程度');
  });
});

describe('the vocabulary checks', () => {
  it('finds the variants a text uses, and none in a text without them', () => {
    expect(zhVariantsIn('前置仓的严重度')).toEqual(['前置仓', '严重度']);
    expect(zhVariantsIn('门店负责人')).toEqual(['门店负责人']);
    expect(zhVariantsIn('门店的严重程度')).toEqual([]);
    expect(zhVariantsIn('')).toEqual([]);
  });

  it('finds Latin runs outside the proper names, but not in code spans or environment variables', () => {
    expect(latinRunsOutsideGlossary('门店')).toEqual([]);
    expect(latinRunsOutsideGlossary('导出 CSV 与 GeoJSON，Gi* 的 z 值')).toEqual([]);
    expect(latinRunsOutsideGlossary('点击 submit 保存 Draft')).toEqual(['submit', 'Draft']);
    // a proper name only when the whole run is one: "CSVs" and "csv" are not "CSV"
    expect(latinRunsOutsideGlossary('CSVs csv')).toEqual(['CSVs', 'csv']);
    // code is not prose
    expect(latinRunsOutsideGlossary('运行 `npm run seed` 即可')).toEqual([]);
    expect(latinRunsOutsideGlossary('`a` 和 `b` 之间 word')).toEqual(['word']);
    // a code span separates the words around it: Gi and z, not "Giz"
    expect(latinRunsOutsideGlossary('Gi`*`z')).toEqual([]);
    expect(latinRunsOutsideGlossary('设置 AUTH_MODE=dev 或 FEISHU_APP_ID')).toEqual([]);
    expect(latinRunsOutsideGlossary('设置 AUTH_MODE_X1=dev')).toEqual([]);
    // a lone capital word is prose, not a variable
    expect(latinRunsOutsideGlossary('设置 MODE')).toEqual(['MODE']);
    expect(latinRunsOutsideGlossary('设置 Auth_mode')).toEqual(['Auth', 'mode']);
  });
});
