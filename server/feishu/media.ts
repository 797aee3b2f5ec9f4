/**
 * Bitable attachments, served by the app: `/media/feishu/<record id>/<file token>`. Feishu answers
 * an attachment's download only with the tenant token (drive/v1/medias/:file_token/download), so
 * the browser cannot load it directly. Access follows the incident's scope, as for /media/detections:
 * signed in, and the incident that lists this photo is one the user may see.
 */
import { Router } from 'express';
import type { Env } from '../env.js';
import { createContext } from '../context.js';
import { scopeForUser } from '../store/scope.js';
import type { IncidentStore } from '../store/types.js';
import { forgetTenantToken, tenantAccessToken } from './http.js';
import { feishuConfig } from './auth/sign-in.js';
import { feishuMediaPath, FILE_TOKEN } from './bitable/mapping.js';

/** A photo larger than this is not passed through (Feishu attachments can be any file). */
const MAX_BYTES = 20 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 15_000;

export function feishuMediaRoutes(deps: { env: Env; store: IncidentStore }): Router {
  const router = Router();
  router.get('/:recordId/:fileToken', async (req, res, next) => {
    try {
      const { recordId, fileToken } = req.params;
      if (!FILE_TOKEN.test(recordId) || !FILE_TOKEN.test(fileToken)) return res.status(404).end();
      const context = await createContext(deps, req, res);
      if (!context.user) return res.status(401).json({ error: 'Sign in first.' });
      const incident = await deps.store.incidentBySourceKey('bitable', recordId, scopeForUser(context.user));
      if (!incident || !incident.photoUrls.includes(feishuMediaPath(recordId, fileToken))) return res.status(404).end();
      const config = feishuConfig(deps.env);
      if (!config) return res.status(503).json({ error: 'Feishu is not configured (FEISHU_APP_ID, FEISHU_APP_SECRET): attachments cannot be fetched.' });
      const url = `${config.baseUrl}/open-apis/drive/v1/medias/${fileToken}/download`;
      const token = await tenantAccessToken(config);
      let upstream = await download(url, token);
      if (upstream.status === 400 || upstream.status === 401) {
        await forgetTenantToken(config, token); // an expired tenant token: once more with a new one
        upstream = await download(url, await tenantAccessToken(config));
      }
      if (!upstream.ok) return res.status(upstream.status === 404 ? 404 : 502).json({ error: `Feishu answered HTTP ${upstream.status} for this attachment.` });
      const bytes = Buffer.from(await upstream.arrayBuffer());
      if (bytes.length > MAX_BYTES) return res.status(502).json({ error: 'The attachment is too large to show.' });
      const type = upstream.headers.get('content-type') ?? '';
      res.setHeader('Cache-Control', 'private, max-age=86400');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      // only images are shown inline; anything else downloads
      res.type(/^image\/(png|jpeg|gif|webp)$/.test(type) ? type : 'application/octet-stream');
      res.send(bytes);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

async function download(url: string, token: string): Promise<Response> {
  try {
    return await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch {
    return new Response(null, { status: 504 });
  }
}
