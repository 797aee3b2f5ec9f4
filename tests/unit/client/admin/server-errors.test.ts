import { describe, expect, test } from 'vitest';
import { plainMessage, serverErrors } from '../../../../client/features/admin/lib/server-errors.js';

/** A failed tRPC call as the client sees it: a message and the error formatter's `data`. */
function trpcError(message: string, issues?: Array<{ path: string; message: string }>, code = 'BAD_REQUEST') {
  const error = new Error(message) as Error & { data: Record<string, unknown> };
  error.data = { code, httpStatus: 400, issues };
  return error;
}

const STORE_FIELDS = ['code', 'name', 'cityId', 'lat', 'lng', 'radiusM'];

describe('server errors to form fields', () => {
  test('zod issues go to their fields, the message of each without a repeated path', () => {
    const e = trpcError('radiusM: Too small: expected number to be >=100; lat: Too big', [
      { path: 'radiusM', message: 'Too small: expected number to be >=100' },
      { path: 'lat', message: 'Too big: expected number to be <=90' },
    ]);
    expect(serverErrors(e, STORE_FIELDS)).toEqual({
      fields: { radiusM: 'Too small: expected number to be >=100', lat: 'Too big: expected number to be <=90' },
      message: null,
    });
  });

  test('a refine message that names its field itself is not doubled (alerts.setTarget webhookUrl)', () => {
    const e = trpcError('webhookUrl: webhookUrl: must be an http(s) URL', [{ path: 'webhookUrl', message: 'webhookUrl: must be an http(s) URL' }]);
    expect(serverErrors(e, ['webhookUrl', 'chatId']).fields).toEqual({ webhookUrl: 'must be an http(s) URL' });
  });

  test('a nested path goes to the nearest field the form has (slaHours.3 itself; storeIds.2 to storeIds)', () => {
    const e = trpcError('x', [
      { path: 'slaHours.3', message: 'Too big' },
      { path: 'storeIds.2', message: 'Too small' },
    ]);
    expect(serverErrors(e, ['slaHours.3', 'storeIds']).fields).toEqual({ 'slaHours.3': 'Too big', storeIds: 'Too small' });
  });

  test('issues about fields the form does not have become the general message, path kept', () => {
    const e = trpcError('x', [
      { path: 'input', message: 'Unrecognized key: "extra"' },
      { path: 'name', message: 'Too big' },
    ]);
    expect(serverErrors(e, ['name'])).toEqual({ fields: { name: 'Too big' }, message: 'input: Unrecognized key: "extra"' });
  });

  test.each<[string, string[], { fields: Record<string, string>; message: string | null }]>([
    ['role: you cannot take the admin role from yourself (ask another admin).', ['id', 'role'], { fields: { role: 'you cannot take the admin role from yourself (ask another admin).' }, message: null }],
    ['feishuOpenId: already belongs to user demo-analyst.', ['feishuOpenId'], { fields: { feishuOpenId: 'already belongs to user demo-analyst.' }, message: null }],
    ['storeIds: no store 9999.', ['storeIds'], { fields: { storeIds: 'no store 9999.' }, message: null }],
    ['cityId: no city 7.', STORE_FIELDS, { fields: { cityId: 'no city 7.' }, message: null }],
    ['id: you cannot remove yourself.', ['name'], { fields: {}, message: 'id: you cannot remove yourself.' }],
    ['Needs role admin.', ['name'], { fields: {}, message: 'Needs role admin.' }],
    ['Failed to fetch', ['name'], { fields: {}, message: 'Failed to fetch' }],
  ])('router refusal %j', (message, fields, expected) => {
    expect(serverErrors(trpcError(message, undefined, 'CONFLICT'), fields)).toEqual(expected);
  });

  test('an empty issues list falls back to the message', () => {
    expect(serverErrors(trpcError('name: taken', []), ['name']).fields).toEqual({ name: 'taken' });
  });

  test('anything thrown gets a message', () => {
    expect(serverErrors('offline', ['name']).message).toBe('offline');
    expect(serverErrors(null, ['name']).message).toBe('null');
    expect(serverErrors({ data: { issues: 'not a list' }, message: 'odd' }, ['name']).message).toBe('odd');
  });
});

describe('row action refusals', () => {
  test.each([
    ['id: you cannot remove yourself.', 'you cannot remove yourself.'],
    ['id: no API key "abc".', 'no API key "abc".'],
    ['Needs role admin.', 'Needs role admin.'],
  ])('%j -> %j', (message, expected) => {
    expect(plainMessage(new Error(message))).toBe(expected);
  });
});
