/**
 * Feishu events and card callbacks over the SDK's long connection (`@larksuiteoapi/node-sdk`
 * WSClient): for deployments without a public URL. The SDK authenticates with the app's
 * credentials and hands over plain, verified events; they go to the same handler as the HTTP
 * callback URL (receiver.ts), so the rules, scope, replay check and answers are the same.
 * Chosen with FEISHU_EVENT_MODE=long_connection; the console must then be set to "receive events
 * through a long connection" for events and for callbacks.
 */
import * as Lark from '@larksuiteoapi/node-sdk';
import { handleFeishuEvent } from './receiver.js';
import type { FeishuEventDeps } from './receiver.js';

type Json = Record<string, unknown>;

/**
 * The SDK hands each handler the event's fields with the header's merged in (event_id,
 * event_type...): put the envelope back together for handleFeishuEvent.
 */
function envelope(eventType: string, data: Json): Json {
  const { event_id: eventId, event_type: _type, token, create_time: createTime, tenant_key: tenantKey, app_id: appId, schema: _schema, ...event } = data;
  return { schema: '2.0', header: { event_id: eventId, event_type: eventType, token, create_time: createTime, tenant_key: tenantKey, app_id: appId }, event };
}

/** The dispatcher with our two events; its answer to a card action is the callback's answer. */
export function feishuEventDispatcher(deps: FeishuEventDeps): Lark.EventDispatcher {
  return new Lark.EventDispatcher({ loggerLevel: Lark.LoggerLevel.warn }).register({
    'im.message.receive_v1': async (data: unknown) => handleFeishuEvent(deps, envelope('im.message.receive_v1', data as Json)),
    'card.action.trigger': async (data: unknown) => handleFeishuEvent(deps, envelope('card.action.trigger', data as Json)),
  } as never);
}

/** Connects to Feishu and delivers events until closed. */
export function startLongConnection(deps: FeishuEventDeps, app: { appId: string; appSecret: string; baseUrl: string }): { close(): void } {
  const client = new Lark.WSClient({
    appId: app.appId,
    appSecret: app.appSecret,
    domain: /larksuite\.com/.test(app.baseUrl) ? Lark.Domain.Lark : app.baseUrl.startsWith('https://open.feishu.cn') ? Lark.Domain.Feishu : app.baseUrl,
    loggerLevel: Lark.LoggerLevel.warn,
  });
  void client.start({ eventDispatcher: feishuEventDispatcher(deps) }).catch((error: Error) => deps.log(`feishu long connection failed: ${error.message}`));
  return { close: () => (client as unknown as { close?: () => void }).close?.() };
}
