/**
 * `POST /feishu/callback`: Feishu's request URL for card callbacks and events. The raw body is
 * kept for the signature, which covers the bytes as sent.
 */
import express, { Router } from 'express';
import type { Env } from '../../env.js';
import type { IncidentStore } from '../../store/types.js';
import { appBotConfig } from '../../jobs/scheduler.js';
import { handleFeishuHttp } from './receiver.js';

/** Feishu's events are small; a card callback with a form is a few KB. */
const MAX_BODY = '256kb';

export function feishuCallbackRoutes(deps: { env: Env; store: IncidentStore; log?: (line: string) => void }): Router {
  const router = Router();
  router.post('/', express.raw({ type: () => true, limit: MAX_BODY }), async (req, res, next) => {
    try {
      const publicUrl = deps.env.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`;
      const header = (name: string) => req.get(name) ?? undefined;
      const answer = await handleFeishuHttp(
        { env: deps.env, store: deps.store, links: { publicUrl, app: appBotConfig(deps.env) }, log: deps.log ?? ((line) => console.log(line)) },
        Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        { timestamp: header('x-lark-request-timestamp'), nonce: header('x-lark-request-nonce'), signature: header('x-lark-signature') },
      );
      res.status(answer.status).json(answer.body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
