/**
 * The Express application: health probes, the tRPC API at /trpc, detection images, and the
 * built client with an index.html fallback for client-side routes.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import compression from 'compression';
import express from 'express';
import { renderDetectionSvg } from '../data/demo/detection-image.js';
import { createContext } from './context.js';
import type { AppDeps } from './context.js';
import { appRouter } from './routers/_app.js';
import { scopeForUser } from './store/scope.js';
import { exposureApi } from './api/exposure.js';
import { ingestApi } from './api/ingest.js';
import { exportRouter } from './api/export.js';
import { openApiRoutes } from './api/openapi.js';
import { feishuAuthRoutes } from './feishu/auth/routes.js';
import { feishuMediaRoutes } from './feishu/media.js';
import { feishuCallbackRoutes } from './feishu/events/routes.js';
import { csrfGuard } from './security/csrf.js';
import { errorHandler, noStore, securityHeaders, trpcBodyLimit, trpcMaxBodyBytes } from './security/http.js';
import { metricsRoute, requestMetrics } from './observability/metrics.js';
import { createLogger, requestLogger } from './observability/request-log.js';
import type { Logger } from 'pino';
import { importUploadRoutes } from './api/import-upload.js';
import { CLIENT_ROUTES, notFoundHandler } from './not-found.js';

export interface Readiness {
  ready: boolean;
  /** What the server is doing while not ready, for /readyz. */
  phase: string;
}

export interface AppOptions extends AppDeps {
  readiness: Readiness;
  /** Folder of the built client (vite build output); served when present. */
  clientDir?: string;
  /** Request log (JSON lines); by default on stdout at LOG_LEVEL. */
  logger?: Logger;
}

export function createApp({ env, store, readiness, clientDir = resolve('dist/client'), logger = createLogger(env.LOG_LEVEL) }: AppOptions) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback'); // HTTPS terminates at a local proxy in production set-ups
  app.use(requestLogger(logger), requestMetrics()); // first: every response gets a request id, a log line and a timing
  // not the SSE streams of subscriptions (live.changes): gzip would hold their events back
  app.use(compression({ filter: (req, res) => !/^text\/event-stream/.test(String(res.getHeader('content-type') ?? '')) && compression.filter(req, res) }));
  app.use(securityHeaders(env)); // CSP, Referrer-Policy, HSTS on HTTPS... (server/security/http.ts)

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', (_req, res) => {
    res.status(readiness.ready ? 200 : 503).json({ ready: readiness.ready, phase: readiness.phase });
  });
  app.get('/metrics', metricsRoute(store, env.METRICS_TOKEN));

  // API routes answer 503 until migrations (and first-start seeding) are done.
  const whenReady: express.RequestHandler = (_req, res, next) => {
    if (readiness.ready) return next();
    res.status(503).json({ error: `starting: ${readiness.phase}` });
  };

  // before tRPC: a cross-site form must not reach a mutation, nor an oversized body any procedure
  app.use('/trpc', csrfGuard(env), trpcBodyLimit(env), noStore);
  app.use('/api/v1', noStore);
  app.use('/auth/feishu', whenReady, feishuAuthRoutes({ env, store }));
  app.use('/api/admin/imports', whenReady, importUploadRoutes({ env, store }));
  app.use('/api/v1', openApiRoutes(env));
  app.use('/api/v1', whenReady, ingestApi({ env, store }));
  app.use('/api/v1', whenReady, exposureApi({ env, store }));
  app.use('/api/v1/export', whenReady, exportRouter({ env, store }));
  app.use(
    '/trpc',
    whenReady,
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req, res }) => createContext({ env, store }, req, res),
      maxBatchSize: 20,
      maxBodySize: trpcMaxBodyBytes(env), // a second line behind trpcBodyLimit
      onError({ error, path, req }) {
        // into the request's log line context, with its request id
        if (error.code === 'INTERNAL_SERVER_ERROR') req.log.error({ err: error.cause ?? error, procedure: path ?? '?' }, 'tRPC procedure failed');
      },
    }),
  );

  app.use('/media/feishu', whenReady, feishuMediaRoutes({ env, store }));
  app.use('/feishu/callback', whenReady, feishuCallbackRoutes({ env, store }));

  // AI detection photos. Demo detections get an image rendered here; access follows the incident's scope.
  app.get('/media/detections/:file', whenReady, async (req, res, next) => {
    try {
      const match = /^([\w.-]{1,120})\.svg$/.exec(String(req.params.file));
      if (!match) return res.status(404).end();
      const context = await createContext({ env, store }, req, res);
      if (!context.user) return res.status(401).json({ error: 'Sign in first.' });
      const incident = await store.incidentBySourceKey('ai_vision', match[1]!, scopeForUser(context.user));
      if (!incident) return res.status(404).end();
      res.setHeader('Cache-Control', 'private, max-age=86400');
      res.type('image/svg+xml').send(renderDetectionSvg(match[1]!, incident.aiLabel ?? incident.category, incident.aiConfidence ?? 0));
    } catch (error) {
      next(error);
    }
  });

  if (existsSync(join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    // only the client's own routes get the app; any other page path is a real 404 (below)
    app.get([...CLIENT_ROUTES], (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(clientDir, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res.status(503).type('text').send('The client is not built: run `npm run build` (npm start does it).');
    });
  }
  // A page path nobody serves: 404 with a page (the API's prefixes keep Express's plain 404).
  app.get(/^\/(?!trpc|api|media|feishu\/callback|auth\/feishu|healthz|readyz|metrics)/, notFoundHandler());

  app.use(errorHandler); // no stack traces or file paths in answers
  return app;
}
