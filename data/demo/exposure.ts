/**
 * Demo exposure: deliveries per store and day over the whole history, for the risk per delivery
 * (issue 16). A store's deliveries follow its activity (the same weight that draws its incidents)
 * times a volume factor of its own, so that stores differ several-fold in volume and somewhat in
 * risk per delivery; days follow the incident timeline (growth over two years, busier weekends,
 * weather), with a little daily noise. About 350 deliveries per incident on average.
 */
import type { ExposureInput } from '../../server/ingest/profiles/deliveries.js';
import { LOCAL_OFFSET_MS } from './calendar.js';
import type { DemoPlan } from './plan.js';
import { Rng } from './random.js';

/** Deliveries per incident across the demo (a rate of about 3 incidents per 1,000 deliveries). */
export const DELIVERIES_PER_INCIDENT = 350;

/** Every store's deliveries on every local day of the plan's timeline (days up to today). */
export function* generateExposure(plan: DemoPlan, storeIds: readonly number[]): Generator<ExposureInput> {
  const rng = new Rng(plan.seed, 'exposure');
  const days = plan.timeline.days;
  const meanDay = plan.total / days.length;
  const totalActivity = plan.stores.reduce((sum, s) => sum + s.activity, 0);
  // volume apart from activity: lognormal, so a few stores are small and a few very busy
  const volume = plan.stores.map(() => rng.logNormal(1, 0.35));
  for (const day of days) {
    const date = new Date(day.start + LOCAL_OFFSET_MS).toISOString().slice(0, 10);
    // the day's share of the history's incidents, without its random count noise
    const dayWeight = Math.max(day.count, 1) / meanDay;
    for (let i = 0; i < plan.stores.length; i++) {
      const store = plan.stores[i]!;
      const perDay = (meanDay * DELIVERIES_PER_INCIDENT * store.activity * volume[i]!) / totalActivity;
      yield { storeId: storeIds[i]!, day: date, cell: null, deliveries: Math.max(0, Math.round(perDay * dayWeight * rng.logNormal(1, 0.08))) };
    }
  }
}
