/**
 * Feishu callbacks and events (reference §6), one handler for both ways they arrive: the HTTP
 * request URL (`POST /feishu/callback`, routes.ts) and the SDK's long connection. Over HTTP it
 * checks the signature (with an encrypt key) or the verification token, decrypts `encrypt`
 * bodies, answers `url_verification`, and drops replayed event ids. Then:
 * - `card.action.trigger`: a button on one of our cards, run through the same workflow rules,
 *   store scope and optimistic lock as the app (card-actions.ts);
 * - `im.message.receive_v1`: an accident reported in a store's group becomes a draft incident
 *   (group-reports.ts).
 */
import type { Env } from '../../env.js';
import type { IncidentStore } from '../../store/types.js';
import type { CardLinks } from '../work-cards.js';
import { handleCardAction } from './card-actions.js';
import type { CallbackAnswer } from './card-actions.js';
import { decryptFeishuPayload, verifyFeishuSignature } from './crypto.js';
import { handleGroupMessage } from './group-reports.js';

export interface FeishuEventDeps {
  env: Env;
  store: IncidentStore;
  links: CardLinks;
  log: (line: string) => void;
  now?: () => Date;
}

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

/** A request to the callback URL: checks, decryption and URL verification, then the event. */
export async function handleFeishuHttp(
  deps: FeishuEventDeps,
  rawBody: Buffer,
  headers: { timestamp?: string; nonce?: string; signature?: string },
): Promise<HttpAnswer> {
  const { FEISHU_ENCRYPT_KEY: encryptKey, FEISHU_VERIFICATION_TOKEN: verificationToken } = deps.env;
  if (!encryptKey && !verificationToken) {
    return { status: 503, body: { error: 'Feishu callbacks are not configured (FEISHU_ENCRYPT_KEY or FEISHU_VERIFICATION_TOKEN).' } };
  }
  let outer: Json | null;
  try {
    outer = asObject(JSON.parse(rawBody.toString('utf8')));
  } catch {
    outer = null;
  }
  if (!outer) return { status: 400, body: { error: 'body: not a JSON object' } };
  // With an encrypt key Feishu signs every request (URL verification aside, which it encrypts).
  if (encryptKey && headers.signature !== undefined && !verifyFeishuSignature(headers, encryptKey, rawBody)) {
    return { status: 401, body: { error: 'X-Lark-Signature does not match this body' } };
  }
  let payload = outer;
  if (typeof outer.encrypt === 'string') {
    if (!encryptKey) return { status: 400, body: { error: 'encrypt: an encrypted body, but no FEISHU_ENCRYPT_KEY is set' } };
    try {
      payload = asObject(JSON.parse(decryptFeishuPayload(outer.encrypt, encryptKey))) ?? {};
    } catch {
      return { status: 400, body: { error: 'encrypt: cannot be decrypted with FEISHU_ENCRYPT_KEY' } };
    }
  } else if (encryptKey && headers.signature === undefined) {
    // an encrypt key is set: a plain, unsigned event did not come from Feishu
    return { status: 401, body: { error: 'X-Lark-Signature is missing' } };
  }
  const token = payload.token ?? asObject(payload.header)?.token;
  if (verificationToken && token !== verificationToken) return { status: 401, body: { error: 'token: not this app\'s verification token' } };
  if (payload.type === 'url_verification') return { status: 200, body: { challenge: String(payload.challenge ?? '') } };
  return { status: 200, body: (await handleFeishuEvent(deps, payload)) as Json };
}

/**
 * A verified, decrypted event (schema 2.0). Replays of a handled `event_id` change nothing.
 * Returns the callback's answer (a toast and a card for card actions; `{}` for events).
 */
export async function handleFeishuEvent(deps: FeishuEventDeps, payload: Json): Promise<CallbackAnswer | Json> {
  const header = asObject(payload.header) ?? {};
  const eventType = String(header.event_type ?? '');
  const eventId = typeof header.event_id === 'string' ? header.event_id : null;
  const event = asObject(payload.event) ?? {};
  const now = deps.now?.() ?? deps.env.clock.now();
  if (eventId && (await deps.store.workLoop.eventSeen(eventId))) {
    return eventType === 'card.action.trigger' ? { toast: { type: 'info', content: '已处理过这个操作' } } : {};
  }
  let answer: CallbackAnswer | Json = {};
  switch (eventType) {
    case 'card.action.trigger':
      answer = await handleCardAction(deps, event, now);
      break;
    case 'im.message.receive_v1':
      await handleGroupMessage(deps, event, now);
      break;
    default:
      deps.log(`feishu: event ${eventType || '(no type)'} ignored`);
  }
  if (eventId) await deps.store.workLoop.recordEvent(eventId, eventType, now);
  return answer;
}
