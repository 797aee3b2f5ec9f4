/** Helpers for tests of the ingest API: valid records, a POST with a key, and both engines as servers. */
import { inject } from 'vitest';
import { createPostgresDatabase } from './engines.js';
import { startTestServer } from './test-server.js';
import type { TestServer } from './test-server.js';

/** A valid record near store FZ-001 of seedPlaces (Fuzhou). */
export function apiRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: 'ai_vision',
    externalId: 'det-1',
    kind: 'exception',
    category: 'no_helmet',
    severity: 2,
    occurredAt: '2024-05-01T08:30:00+08:00',
    lat: 26.0801,
    lng: 119.2902,
    storeCode: 'FZ-001',
    riderId: 'R-1',
    description: 'no helmet at the crossing',
    photoUrls: ['https://cdn.example.com/a.jpg'],
    ai: { label: 'no_helmet', confidence: 0.93 },
    ...overrides,
  };
}

export function postIncidents(baseUrl: string, key: string | null, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/api/v1/incidents`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Servers to run a suite against: DuckDB always, PostgreSQL when the run has one. */
export function serverEngines(): Array<{ engine: string; start: (env?: Record<string, string>) => Promise<TestServer> }> {
  const list = [{ engine: 'duckdb', start: (env: Record<string, string> = {}) => startTestServer({ demo: 'none', env }) }];
  const pgUrl = inject('pgUrl');
  if (pgUrl) {
    list.push({
      engine: 'postgres',
      start: async (env: Record<string, string> = {}) =>
        startTestServer({ demo: 'none', env: { DATABASE_URL: await createPostgresDatabase(pgUrl), ...env } }),
    });
  }
  return list;
}
