/** The configuration's side of server/security/hosts.ts: the policies built from the environment. */
import type { Env } from '../env.js';
import type { PhotoPolicy, WebhookPolicy } from './hosts.js';
import { isAllowedPhotoUrl } from './hosts.js';

export function photoPolicy(env: Pick<Env, 'PHOTO_HOSTS' | 'PUBLIC_URL'>): PhotoPolicy {
  return { photoHosts: env.PHOTO_HOSTS, publicOrigin: env.PUBLIC_URL ? new URL(env.PUBLIC_URL).origin : null };
}

export function webhookPolicy(env: Pick<Env, 'WEBHOOK_HOSTS' | 'FEISHU_BASE_URL'>): WebhookPolicy {
  return { webhookHosts: env.WEBHOOK_HOSTS, feishuBaseUrl: env.FEISHU_BASE_URL };
}

/** The photo URLs a browser may be given: the rest are stored but never rendered. */
export function visiblePhotoUrls(urls: readonly string[], env: Pick<Env, 'PHOTO_HOSTS' | 'PUBLIC_URL'>): string[] {
  const policy = photoPolicy(env);
  return urls.filter((u) => isAllowedPhotoUrl(u, policy));
}

/** One photo URL (a list's thumbnail), or null when it may not be rendered. */
export function visiblePhotoUrl(url: string | null, env: Pick<Env, 'PHOTO_HOSTS' | 'PUBLIC_URL'>): string | null {
  return url !== null && isAllowedPhotoUrl(url, photoPolicy(env)) ? url : null;
}
