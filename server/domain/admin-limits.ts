/**
 * Bounds and shapes of what admins type (users, cities, stores, settings, API keys, alert
 * targets): the admin and alerts routers' zod schemas and the client's form validation
 * (client/features/admin/lib/validation.ts) read them here, so that a form names a mistake
 * exactly when the server would refuse it. Pure. Units in the names.
 */

export const ADMIN_LIMITS = {
  userIdMax: 100,
  userNameMax: 200,
  openIdMax: 100,
  cityNameMax: 100,
  timeZoneMax: 64,
  storeCodeMax: 100,
  storeNameMax: 200,
  radiusMinM: 100,
  radiusMaxM: 50_000,
  slaMinHours: 1,
  slaMaxHours: 24 * 90,
  keyNameMax: 100,
  webhookUrlMax: 500,
  webhookSecretMax: 200,
} as const;

/** A user id: letters, digits and . _ @ - (ids come from Feishu, e-mail addresses or the admin). */
export const USER_ID_PATTERN = /^[\w.@-]+$/;
/** A Feishu open id. */
export const OPEN_ID_PATTERN = /^ou_\w+$/;
/** A Feishu chat id (the app bot's target). */
export const CHAT_ID_PATTERN = /^oc_[\w-]{1,100}$/;
