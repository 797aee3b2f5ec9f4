/**
 * The one classification of Feishu answers, against the codes Feishu really sends (reference §0,
 * §2, and the open platform's error code list): throttling in its three spellings, setup errors
 * that no retry fixes, unknown codes, gateway failures and timeouts.
 */
import { describe, expect, it } from 'vitest';
import { classifyFeishuAnswer, DEFAULT_RATE_LIMIT_WAIT_MS } from '../../../server/feishu/answers.js';
import type { FeishuAnswer, FeishuApi } from '../../../server/feishu/answers.js';

const json = (status: number, body: Record<string, unknown>, headers?: Record<string, string>): FeishuAnswer => ({
  status,
  json: body,
  headers: new Headers(headers),
});

const CASES: Array<[string, FeishuApi, FeishuAnswer, string, Record<string, unknown>?]> = [
  ['webhook ok', 'webhook', json(200, { StatusCode: 0, code: 0, msg: 'success' }), 'ok'],
  ['app ok', 'app', json(200, { code: 0, msg: 'success', data: { message_id: 'om_1' } }), 'ok'],
  ['webhook 9499 too many request (HTTP 400)', 'webhook', json(400, { code: 9499, msg: 'too many request' }), 'rate_limited', { code: 9499, waitMs: DEFAULT_RATE_LIMIT_WAIT_MS }],
  ['webhook 9499 with the gateway reset header', 'webhook', json(400, { code: 9499, msg: 'too many request' }, { 'x-ogw-ratelimit-reset': '7' }), 'rate_limited', { waitMs: 7000 }],
  ['webhook 9499 Bad Request is a malformed body', 'webhook', json(400, { code: 9499, msg: 'Bad Request' }), 'permanent', { code: 9499 }],
  ['webhook 11232 frequency limited', 'webhook', json(200, { code: 11232, msg: 'frequency limited' }), 'rate_limited', { code: 11232 }],
  ['app 230020 group frequency', 'app', json(400, { code: 230020, msg: 'This operation triggers the frequency limit.' }), 'rate_limited', { code: 230020 }],
  ['app 99991400 gateway limit', 'app', json(400, { code: 99991400, msg: 'request trigger frequency limit' }), 'rate_limited'],
  ['HTTP 429 without a code', 'app', json(429, {}), 'rate_limited'],
  ['app 99991672 missing scope', 'app', json(400, { code: 99991672, msg: 'Access denied. One of the following scopes is required: [im:message]' }), 'permanent', { code: 99991672 }],
  ['app 230006 bot disabled', 'app', json(400, { code: 230006, msg: 'Bot ability is not activated.' }), 'permanent', { code: 230006 }],
  ['app 230099 card rejected', 'app', json(400, { code: 230099, msg: 'Failed to create card content' }), 'permanent', { code: 230099 }],
  ['app 230025 message too large', 'app', json(400, { code: 230025, msg: 'The length of the message content reaches its limit.' }), 'permanent', { code: 230025 }],
  ['app 230002 bot not in group', 'app', json(400, { code: 230002, msg: 'The bot can not be outside the group.' }), 'permanent', { code: 230002 }],
  ['webhook 19036 over 30 KB (HTTP 200)', 'webhook', json(200, { code: 19036, msg: 'request body too large' }), 'permanent', { code: 19036 }],
  ['webhook 19021 bad signature', 'webhook', json(200, { code: 19021, msg: 'sign match fail' }), 'permanent', { code: 19021 }],
  ['an unknown 4xx code', 'app', json(400, { code: 123456, msg: 'something new' }), 'permanent', { code: 123456 }],
  ['webhook 404 (hook removed) without JSON', 'webhook', { status: 404, json: null }, 'permanent'],
  ['app token refused (99991663): fetch a new one', 'app', json(400, { code: 99991663, msg: 'Invalid access token' }), 'retry', { tokenInvalid: true, ambiguous: false }],
  ['token endpoint 10014 bad secret', 'token', json(200, { code: 10014, msg: 'app secret invalid' }), 'permanent', { code: 10014 }],
  ['token endpoint 5xx', 'token', json(503, { code: 1500, msg: 'internal error' }), 'retry'],
  ['HTTP 500 with a body: Feishu may have acted', 'app', json(500, { code: 1500, msg: 'internal error' }), 'retry', { ambiguous: true }],
  ['HTTP 502 gateway page', 'webhook', { status: 502, json: null }, 'retry', { ambiguous: true }],
  ['a timeout: the request may have arrived', 'app', { unreachable: 'The operation was aborted due to timeout', timedOut: true }, 'retry', { ambiguous: true }],
  ['connection refused: it did not arrive', 'app', { unreachable: 'fetch failed', timedOut: false }, 'retry', { ambiguous: false }],
  ['HTTP 200 without JSON (a proxy page)', 'app', { status: 200, json: null }, 'retry', { ambiguous: true }],
];

describe('classifyFeishuAnswer', () => {
  it.each(CASES)('%s', (_name, api, answer, kind, fields) => {
    const outcome = classifyFeishuAnswer(api, answer);
    expect(outcome.kind).toBe(kind);
    if (fields) expect(outcome).toMatchObject(fields);
    if (outcome.kind !== 'ok') expect(outcome.error.length).toBeGreaterThan(0);
  });
});
