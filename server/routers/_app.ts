import { router } from '../trpc.js';
import { adminRouter } from './admin.js';
import { authRouter } from './auth.js';
import { incidentsRouter } from './incidents.js';
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
});

export type AppRouter = typeof appRouter;
