/**
 * Alerts as people read them (issue 19): an alert is per store and cell, so one hot cell near
 * four stores was four identical cards. Analysts get one card per cell (with the stores around
 * it); store managers and viewers get their stores, each with one card per cell. Pure.
 */

/** What the grouping needs of an alert (the list's DTO has more). */
export interface GroupableAlert {
  id: number;
  storeId: number;
  storeCode: string;
  storeName: string;
  cell: string;
  ackedAt: string | null;
}

export type AlertGrouping = 'cell' | 'store';

export interface AlertCard<A extends GroupableAlert> {
  /** `cell` or `storeId:cell`. */
  key: string;
  cell: string;
  /** Newest first, as listed; `alerts[0]` speaks for the card. */
  alerts: A[];
  /** The stores of the card's alerts, each once, in the alerts' order. */
  stores: Array<{ id: number; code: string; name: string }>;
  /** Ids of the card's alerts still to acknowledge. */
  unackedIds: number[];
}

export interface AlertStoreGroup<A extends GroupableAlert> {
  storeId: number;
  storeCode: string;
  storeName: string;
  cards: AlertCard<A>[];
}

function cardsBy<A extends GroupableAlert>(alerts: readonly A[], keyOf: (a: A) => string): AlertCard<A>[] {
  const cards = new Map<string, AlertCard<A>>();
  for (const a of alerts) {
    const key = keyOf(a);
    let card = cards.get(key);
    if (!card) {
      card = { key, cell: a.cell, alerts: [], stores: [], unackedIds: [] };
      cards.set(key, card);
    }
    card.alerts.push(a);
    if (!card.stores.some((s) => s.id === a.storeId)) card.stores.push({ id: a.storeId, code: a.storeCode, name: a.storeName });
    if (a.ackedAt === null) card.unackedIds.push(a.id);
  }
  return [...cards.values()];
}

/** One card per cell, in the order of each cell's newest alert (the list is newest first). */
export function cardsByCell<A extends GroupableAlert>(alerts: readonly A[]): AlertCard<A>[] {
  return cardsBy(alerts, (a) => a.cell);
}

/** The stores in the order of their newest alert, each with one card per cell. */
export function groupsByStore<A extends GroupableAlert>(alerts: readonly A[]): AlertStoreGroup<A>[] {
  const groups = new Map<number, AlertStoreGroup<A>>();
  for (const card of cardsBy(alerts, (a) => `${a.storeId}:${a.cell}`)) {
    const first = card.alerts[0]!;
    let group = groups.get(first.storeId);
    if (!group) {
      group = { storeId: first.storeId, storeCode: first.storeCode, storeName: first.storeName, cards: [] };
      groups.set(first.storeId, group);
    }
    group.cards.push(card);
  }
  return [...groups.values()];
}

/** How many cards still need an acknowledgement: the badge's number. */
export function unackedCardCount(alerts: readonly GroupableAlert[], grouping: AlertGrouping): number {
  const keys = new Set(alerts.filter((a) => a.ackedAt === null).map((a) => (grouping === 'cell' ? a.cell : `${a.storeId}:${a.cell}`)));
  return keys.size;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * Weeks the cell has been hot in a row: from `episode` (Monday the run began) to `week` (Monday
 * of the latest week analysed), both YYYY-MM-DD, counted inclusive. 1 when they are the same week.
 */
export function hotRunWeeks(episode: string, week: string): number {
  const ms = Date.parse(`${week}T00:00:00Z`) - Date.parse(`${episode}T00:00:00Z`);
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms / WEEK_MS) + 1 : 1;
}

/**
 * The Gi* z of the latest week in words a manager reads: how far above the area around it the
 * cell is. The cut-offs are the two-sided normal critical values at 99 % and 95 % (2.576, 1.96),
 * the confidence levels the hot-spot map's legend uses.
 */
export type Strength = 'much' | 'clear' | 'some';
export function strengthOf(z: number): Strength {
  return z >= 2.576 ? 'much' : z >= 1.96 ? 'clear' : 'some';
}
