/**
 * Bitable record search (reference §3), page by page, with the tenant token. Rate limits
 * (HTTP 429, codes 99991400 / 1254290) are waited out per the `x-ogw-ratelimit-reset` header.
 */
import { clearFeishuTokenCache, FeishuApiError, tenantAccessToken } from '../auth/client.js';
import type { FeishuAppConfig } from '../auth/client.js';

export interface BitableRecord {
  record_id: string;
  created_time?: number;
  last_modified_time?: number;
  fields: Record<string, unknown>;
}

export interface BitablePage {
  items: BitableRecord[];
  hasMore: boolean;
  pageToken: string | null;
}

export interface SearchOptions {
  appToken: string;
  tableId: string;
  pageSize: number;
  pageToken?: string | null;
  viewId?: string;
  filter?: { conjunction: 'and' | 'or'; conditions: Array<{ field_name: string; operator: string; value: string[] }> };
  /** Waits this function is given, so tests need not sleep (default setTimeout). */
  sleep?: (ms: number) => Promise<void>;
  /** Rate-limit retries before giving up. */
  maxRetries?: number;
}

const RATE_LIMITED = new Set([99991400, 1254290]);
/** Tenant token invalid or expired: fetch a new one once. */
const BAD_TOKEN = new Set([99991663, 99991661, 99991668]);

export async function searchRecords(config: FeishuAppConfig, opts: SearchOptions): Promise<BitablePage> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const url = new URL(
    `/open-apis/bitable/v1/apps/${encodeURIComponent(opts.appToken)}/tables/${encodeURIComponent(opts.tableId)}/records/search`,
    config.baseUrl,
  );
  url.searchParams.set('page_size', String(opts.pageSize));
  if (opts.pageToken) url.searchParams.set('page_token', opts.pageToken);
  const body = { ...(opts.viewId ? { view_id: opts.viewId } : {}), ...(opts.filter ? { filter: opts.filter } : {}), automatic_fields: true };
  let retriedToken = false;
  for (let attempt = 0; ; attempt++) {
    const token = await tenantAccessToken(config);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new FeishuApiError(-1, `Feishu unreachable: ${(error as Error).message}`, 0);
    }
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON: judged by the status below
    }
    const code = Number(json.code ?? (res.ok ? 0 : -1));
    if (res.status === 429 || RATE_LIMITED.has(code)) {
      if (attempt >= (opts.maxRetries ?? 8)) throw new FeishuApiError(code, 'Bitable rate limit: gave up after retries', res.status);
      // the header is seconds until the window resets; without it back off exponentially
      const resetS = Number(res.headers.get('x-ogw-ratelimit-reset'));
      await sleep(Number.isFinite(resetS) && resetS > 0 ? resetS * 1000 : Math.min(30_000, 500 * 2 ** attempt));
      continue;
    }
    if (BAD_TOKEN.has(code) && !retriedToken) {
      retriedToken = true;
      clearFeishuTokenCache();
      continue;
    }
    if (code !== 0 || !res.ok) {
      throw new FeishuApiError(code, `Bitable search: ${String(json.msg ?? text.slice(0, 200))} (code ${code}, HTTP ${res.status})`, res.status);
    }
    const data = (json.data ?? {}) as { items?: BitableRecord[] | null; has_more?: boolean; page_token?: string };
    return { items: data.items ?? [], hasMore: Boolean(data.has_more), pageToken: data.page_token ?? null };
  }
}
