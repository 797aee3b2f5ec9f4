/**
 * `npm run users` as a job on both engines, from an empty database: the first admin, clear
 * refusals that change nothing, roles and stores, and disabling (sessions end, no sign-in). And
 * AUTH_MODE=dev lists and signs in every active user, not only the demo's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../server/env.js';
import { runUsersJob } from '../../server/ops/users-command.js';
import type { IncidentStore } from '../../server/store/types.js';
import { callerFor } from '../support/caller.js';
import { engines } from '../support/engines.js';
import { seedPlaces } from '../support/fixtures.js';

const env = parseEnv({ NODE_ENV: 'test', DEMO_DATA: 'none', AUTH_MODE: 'dev' });

describe.each(engines())('npm run users on $engine', ({ open }) => {
  let store: IncidentStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
  });

  async function users(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runUsersJob(store, { argv, cwd: '/', env }, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('creates the first admin on an empty database, who can then sign in', async () => {
    expect(await store.listUsers()).toEqual([]);
    expect((await users('list')).out).toMatch(/^no users/);
    const r = await users('add', '--id', 'ops-admin', '--name', 'Olga Ops', '--role', 'admin', '--feishu-open-id', 'ou_olga1');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(await store.getUser('ops-admin')).toEqual({ id: 'ops-admin', name: 'Olga Ops', role: 'admin', storeIds: [], feishuOpenId: 'ou_olga1' });
    const anon = callerFor(store, null);
    expect(await anon.auth.demoUsers()).toEqual([{ id: 'ops-admin', name: 'Olga Ops', role: 'admin', storeIds: [] }]);
    expect(await anon.auth.devLogin({ userId: 'ops-admin' })).toMatchObject({ id: 'ops-admin', role: 'admin' });
    expect((await users('list')).out).toBe('ops-admin\tadmin\tactive\tOlga Ops\tou_olga1\t-');
  });

  it.each([
    [['add', '--id', 'x', '--name', 'X', '--role', 'boss'], 2, /--role: must be one of admin, analyst, store_manager, viewer/],
    [['add', '--name', 'X', '--role', 'viewer'], 2, /--id: is required/],
    [['add', '--id', 'bad id!', '--name', 'X', '--role', 'viewer'], 2, /--id: may hold letters, digits/],
    [['add', '--id', 'x', '--name', 'X', '--role', 'viewer', '--feishu-open-id', 'olga'], 2, /--feishu-open-id: must be a Feishu open id/],
    [['add', '--id', 'x', '--name', 'X', '--role', 'viewer', '--colour', 'red'], 2, /Unknown option '--colour'/],
    [['list', '--id', 'x'], 2, /--id: does not apply to "list"/],
    [['promote', '--id', 'x'], 2, /unknown command "promote"/],
    [['add', '--id', 'ops-admin', '--name', 'Again', '--role', 'viewer'], 1, /--id: a user "ops-admin" already exists/],
    [['add', '--id', 'x', '--name', 'X', '--role', 'viewer', '--feishu-open-id', 'ou_olga1'], 1, /--feishu-open-id: ou_olga1 already belongs to user "ops-admin"/],
    [['add', '--id', 'x', '--name', 'X', '--role', 'store_manager', '--stores', 'FZ-404'], 1, /--stores: no store with code "FZ-404"/],
    [['set-role', '--id', 'nobody', '--role', 'viewer'], 1, /--id: no user "nobody"/],
    [['disable', '--id', 'nobody'], 1, /--id: no user "nobody"/],
  ])('refuses %j with exit %i and a message naming the option; nothing changes', async (argv, code, message) => {
    const before = await store.listUsers();
    const r = await users(...argv);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
    expect(await store.listUsers()).toEqual(before);
  });

  it('gives a store manager their stores by code, and changes the role and stores', async () => {
    const { fz1, fz2 } = await seedPlaces(store);
    const r = await users('add', '--id', 'mgr', '--name', 'Min', '--role', 'store_manager', '--stores', 'FZ-001, FZ-002');
    expect(r.code).toBe(0);
    expect((await store.getUser('mgr'))!.storeIds.sort()).toEqual([fz1.id, fz2.id].sort());
    expect((await users('set-role', '--id', 'mgr', '--role', 'viewer', '--stores', 'FZ-002')).code).toBe(0);
    expect(await store.getUser('mgr')).toMatchObject({ role: 'viewer', storeIds: [fz2.id], name: 'Min' });
    expect((await users('set-role', '--id', 'mgr', '--role', 'analyst')).code).toBe(0);
    expect(await store.getUser('mgr')).toMatchObject({ role: 'analyst', storeIds: [fz2.id] });
  });

  it('disables a user: their session ends, they are not listed for sign-in and cannot sign in; enable undoes it', async () => {
    const token = await store.createSession('mgr', 3_600_000);
    expect((await store.sessionUser(token))?.id).toBe('mgr');
    expect((await users('disable', '--id', 'mgr')).code).toBe(0);
    expect(await store.sessionUser(token)).toBeNull();
    // a session made behind the command's back (or before a crash between flag and delete) is refused too
    const late = await store.createSession('mgr', 3_600_000);
    expect(await store.sessionUser(late)).toBeNull();
    const anon = callerFor(store, null);
    expect((await anon.auth.demoUsers()).map((u) => u.id)).toEqual(['ops-admin']);
    await expect(anon.auth.devLogin({ userId: 'mgr' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'userId: no active user "mgr".' });
    expect((await users('list')).out).toContain('mgr\tanalyst\tdisabled\tMin\t-\tFZ-002');
    // the admin page shows who is disabled
    const adminCaller = callerFor(store, (await store.getUser('ops-admin')));
    expect((await adminCaller.admin.users.list()).map((u) => [u.id, u.disabled])).toEqual([
      ['mgr', true],
      ['ops-admin', false],
    ]);
    expect((await users('enable', '--id', 'mgr')).code).toBe(0);
    // the last active admin demoted or disabled: done, with a warning
    const demoted = await users('set-role', '--id', 'ops-admin', '--role', 'analyst');
    expect(demoted).toMatchObject({ code: 0, out: expect.stringMatching(/warning: no active admin is left/) });
    expect((await users('set-role', '--id', 'ops-admin', '--role', 'admin')).out).not.toMatch(/warning/);
    expect((await users('disable', '--id', 'ops-admin')).out).toMatch(/warning: no active admin is left/);
    expect((await users('enable', '--id', 'ops-admin')).out).not.toMatch(/warning/);
    expect((await anon.auth.demoUsers()).map((u) => u.id)).toEqual(['mgr', 'ops-admin']);
    expect(await anon.auth.devLogin({ userId: 'mgr' })).toMatchObject({ id: 'mgr' });
  });
});
