import { router } from '../trpc.js';
import { adminRouter } from './admin.js';
import { aiTrustRouter } from './ai-trust.js';
import { alertsRouter } from './alerts.js';
import { authRouter } from './auth.js';
import { configRouter } from './config.js';
import { countermeasuresRouter } from './countermeasures.js';
import { incidentsRouter } from './incidents.js';
import { liveRouter } from './live.js';
import { mapRouter } from './map.js';
import { statsRouter } from './stats.js';
import { storesRouter } from './stores.js';

export const appRouter = router({
  auth: authRouter,
  admin: adminRouter,
  stores: storesRouter,
  map: mapRouter,
  incidents: incidentsRouter,
  stats: statsRouter,
  alerts: alertsRouter,
  config: configRouter,
  live: liveRouter,
  countermeasures: countermeasuresRouter,
  aiTrust: aiTrustRouter,
});

export type AppRouter = typeof appRouter;
