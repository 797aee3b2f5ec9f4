/**
 * Where the app lets a browser or the server reach outside itself (issue 11): photos are shown
 * only from the app's own `/media` or from hosts an admin allows (PHOTO_HOSTS), and alert webhooks
 * go only to Feishu's and Lark's open platforms or to hosts an admin allows (WEBHOOK_HOSTS).
 * Pure: no Express, tRPC or SQL.
 */

/** Hosts of Feishu's and Lark's custom-bot webhooks (`/open-apis/bot/v2/hook/...`), https only. */
export const FEISHU_WEBHOOK_HOSTS: readonly string[] = ['open.feishu.cn', 'open.larksuite.com', 'open.larkoffice.com'];

/** Where the app serves its own photos (AI detection images). */
export const MEDIA_PATH = '/media/';

/**
 * Whether a URL's host matches one of the patterns: `host` (any port), `host:port` (that port),
 * `*.domain` (any sub-domain of domain, not domain itself). Host names compare case-insensitively.
 */
export function hostMatches(url: URL, patterns: readonly string[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    const target = /:\d+$/.test(pattern) ? host : hostname;
    if (pattern.startsWith('*.')) return target.endsWith(pattern.slice(1)) && target.length > pattern.length - 1;
    return target === pattern;
  });
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

export interface PhotoPolicy {
  /** PHOTO_HOSTS. */
  photoHosts: readonly string[];
  /** The app's own origin (PUBLIC_URL), whose /media photos count as its own; null when unset. */
  publicOrigin: string | null;
}

/**
 * Whether a stored photo URL may be rendered: a path on the app under /media/, the same on the
 * app's PUBLIC_URL origin, or an https URL on an allowed host. Anything else (other hosts,
 * `http://169.254.169.254/...`, `javascript:`, protocol-relative `//host/...`) is not shown.
 */
export function isAllowedPhotoUrl(value: string, policy: PhotoPolicy): boolean {
  if (value.startsWith(MEDIA_PATH)) return !value.includes('..') && !value.includes('\\');
  const url = parseUrl(value);
  if (!url || url.username || url.password) return false;
  if (policy.publicOrigin && url.origin === policy.publicOrigin && url.pathname.startsWith(MEDIA_PATH)) return true;
  return url.protocol === 'https:' && hostMatches(url, policy.photoHosts);
}

export interface WebhookPolicy {
  /** WEBHOOK_HOSTS: http or https. */
  webhookHosts: readonly string[];
  /** FEISHU_BASE_URL: the deployment's open platform (a private Feishu, or a local fake in tests). */
  feishuBaseUrl: string;
}

/** Why an alert webhook URL is refused, or null when it may be used. */
export function webhookUrlRefusal(value: string, policy: WebhookPolicy): string | null {
  const url = parseUrl(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not hold a user name or password';
  if (url.protocol === 'https:' && hostMatches(url, FEISHU_WEBHOOK_HOSTS)) return null;
  const base = parseUrl(policy.feishuBaseUrl);
  if (base && url.origin === base.origin) return null;
  if (hostMatches(url, policy.webhookHosts)) return null;
  return `must be a Feishu or Lark bot webhook (https://open.feishu.cn/open-apis/bot/v2/hook/...) or on a host an admin allows (WEBHOOK_HOSTS); ${url.host} is neither`;
}
