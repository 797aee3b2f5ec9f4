/**
 * Bitable record search (reference §3), page by page, through the one Feishu client (../http.ts)
 * with its tenant token. Rate limits (HTTP 429, codes 99991400 / 1254290) are waited out per the
 * `x-ogw-ratelimit-reset` header; other refusals throw FeishuApiError.
 */
import { classifyFeishuAnswer } from '../answers.js';
import { feishuError, feishuFetch, forgetTenantToken, tenantAccessToken } from '../http.js';
import type { FeishuAppConfig } from '../http.js';

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

/** A page of up to 500 records can take a while: longer than the client's default. */
const SEARCH_TIMEOUT_MS = 30_000;

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
    const answer = await feishuFetch(url, { body, headers: { authorization: `Bearer ${token}` }, timeoutMs: SEARCH_TIMEOUT_MS });
    const outcome = classifyFeishuAnswer('app', answer);
    if (outcome.kind === 'ok' && 'json' in answer && answer.json) {
      const data = (answer.json.data ?? {}) as { items?: BitableRecord[] | null; has_more?: boolean; page_token?: string };
      return { items: data.items ?? [], hasMore: Boolean(data.has_more), pageToken: data.page_token ?? null };
    }
    if (outcome.kind === 'rate_limited' && attempt < (opts.maxRetries ?? 8)) {
      // the header is seconds until the window resets; without it back off exponentially
      const resetS = 'headers' in answer ? Number(answer.headers?.get('x-ogw-ratelimit-reset')) : NaN;
      await sleep(Number.isFinite(resetS) && resetS > 0 ? resetS * 1000 : Math.min(30_000, 500 * 2 ** attempt));
      continue;
    }
    if (outcome.kind === 'retry' && outcome.tokenInvalid && !retriedToken) {
      retriedToken = true; // a token Feishu no longer takes: once more with a new one
      await forgetTenantToken(config, token);
      continue;
    }
    throw feishuError('app', answer, outcome.kind === 'rate_limited' ? 'Bitable search (rate limited, gave up after retries)' : 'Bitable search');
  }
}
