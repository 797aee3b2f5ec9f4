/**
 * DuckDB's session cache (DuckDbStore.sessionUser): a repeated request resolves its session
 * without a statement, and any write ends what was cached, so that a role change, a disable, a
 * sign-out or a changed store list acts on the very next request, and an expired session is
 * never served.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DuckDbStore } from '../../server/store/duckdb.js';
import type { SqlDb } from '../../server/store/sql-db.js';
import { seedPlaces } from '../support/fixtures.js';

describe('DuckDB session cache', () => {
  let store: DuckDbStore;
  let storeIds: number[];
  /** Statements run on the store's main connection (where sessions are read). */
  let statements: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    store = await DuckDbStore.open(':memory:');
    await store.migrate();
    const { fz1, fz2 } = await seedPlaces(store);
    storeIds = [fz1.id, fz2.id];
    await store.upsertUsers([{ id: 'mia', name: 'Mia', role: 'store_manager', storeIds: [fz1.id], feishuOpenId: null }]);
    const db = (store as unknown as { db: SqlDb }).db;
    statements = vi.spyOn(db, 'query');
  });
  afterAll(async () => {
    await store?.close();
  });

  it('resolves a repeated session without a statement', async () => {
    const token = await store.createSession('mia', 3_600_000);
    expect(await store.sessionUser(token)).toMatchObject({ id: 'mia', role: 'store_manager' });
    statements.mockClear();
    expect(await store.sessionUser(token)).toMatchObject({ id: 'mia', role: 'store_manager' });
    expect(statements).not.toHaveBeenCalled();
  });

  it('shows a role and store change on the next request', async () => {
    const token = await store.createSession('mia', 3_600_000);
    expect(await store.sessionUser(token)).toMatchObject({ role: 'store_manager', storeIds: [storeIds[0]] });
    await store.upsertUsers([{ id: 'mia', name: 'Mia', role: 'viewer', storeIds, feishuOpenId: null }]);
    expect(await store.sessionUser(token)).toMatchObject({ role: 'viewer', storeIds });
  });

  it('ends a session at once when the user is disabled, and when it is signed out', async () => {
    const first = await store.createSession('mia', 3_600_000);
    expect(await store.sessionUser(first)).not.toBeNull();
    await store.security.setUserDisabled('mia', true);
    expect(await store.sessionUser(first)).toBeNull();
    await store.security.setUserDisabled('mia', false);
    const token = await store.createSession('mia', 3_600_000);
    expect(await store.sessionUser(token)).not.toBeNull();
    await store.deleteSession(token);
    expect(await store.sessionUser(token)).toBeNull();
  });

  it('does not serve a session past its end', async () => {
    const token = await store.createSession('mia', 300);
    expect(await store.sessionUser(token)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 400));
    expect(await store.sessionUser(token)).toBeNull();
  });

  it('hands out a user that nobody can change for the next request', async () => {
    const token = await store.createSession('mia', 3_600_000);
    const user = (await store.sessionUser(token))!;
    expect(() => (user.storeIds).push(999)).toThrow();
    expect(() => Object.assign(user, { role: 'admin' })).toThrow();
    expect((await store.sessionUser(token))!.storeIds).not.toContain(999);
  });
});
