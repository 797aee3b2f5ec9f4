/**
 * Third-party secrets at rest (issue 20): the stored webhook secret is not the plain text, a
 * delivery still signs correctly (the fake Feishu checks the signature), `npm run secrets --
 * rotate` re-seals with a new key and delivery keeps working, and admins see only that a secret is
 * set and the webhook's host. Both engines.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../server/env.js';
import { alertCard } from '../../server/feishu/card.js';
import { deliverDue, notifierFactory } from '../../server/feishu/delivery.js';
import { runSecretsJob } from '../../server/ops/secrets-command.js';
import { loadKeys, SecretBox } from '../../server/security/secret-box.js';
import type { Alert } from '../../server/store/alerts.js';
import type { SqlDb } from '../../server/store/sql-db.js';
import type { IncidentStore } from '../../server/store/types.js';
import { callerFor, user } from '../support/caller.js';
import { engines } from '../support/engines.js';
import { FAKE_APP, startFakeFeishu } from '../support/fake-feishu.js';
import type { FakeFeishu } from '../support/fake-feishu.js';
import { seedPlaces } from '../support/fixtures.js';

const SECRET = 'hook-signing-s3cret-42';
const card = (a: Alert) => alertCard({ ...a, lat: 26.08, lng: 119.29 }, 'https://hexwatch.example.com');

describe.each(engines())('secrets at rest on $engine', ({ open }) => {
  let store: IncidentStore;
  let fake: FakeFeishu;
  let dir: string;
  let places: Awaited<ReturnType<typeof seedPlaces>>;
  let k = 0;
  /** What a dump of alert_target shows. */
  const storedSecret = async (storeId: number) =>
    (await (store as unknown as { db: SqlDb }).db.query(`SELECT webhook_secret FROM alert_target WHERE store_id = $1`, [storeId]))[0]!.webhook_secret as string;
  const keyFile = () => readFileSync(join(dir, 'secret.key'), 'utf8');

  /** One new alert for FZ-001 delivered through the outbox to the fake, which checks the signature. */
  async function deliverOne() {
    k++;
    const at = new Date();
    const input = { storeId: places.fz1.id, cityId: places.fuzhou.id, cell: latLngToCell(26.08 + k * 0.003, 119.29, 9), resolution: 9, episode: '2024-03-04', week: '2024-03-04', class: 'new_hot' as const, z: 4, weekCount: 9, totalCount: 12, weeks: 12 };
    expect(await store.alerts.recordAlerts([input], card, at)).toHaveLength(1);
    return deliverDue(store.alerts, notifierFactory({ baseUrl: fake.url, ...FAKE_APP }), { now: () => at });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hexwatch-secrets-'));
    store = await open();
    store.useSecretBox(new SecretBox(loadKeys({ dataDir: dir }).keys)); // as openStore does without SECRET_KEY
    places = await seedPlaces(store);
    fake = await startFakeFeishu();
    await store.alerts.setTarget({ storeId: places.fz1.id, channel: 'webhook', webhookUrl: fake.addHook('hook-fz1', SECRET), webhookSecret: SECRET, chatId: null, enabled: true }, new Date());
  });
  afterAll(async () => {
    await fake?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('generates the key file with mode 0600 and stores the secret sealed, not in plain text', async () => {
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const stored = await storedSecret(places.fz1.id);
    expect(stored).toMatch(/^enc:v1:[0-9a-f]{8}:/);
    expect(stored).not.toContain(SECRET);
    expect(Buffer.from(stored.split(':').pop()!, 'base64url').toString('utf8')).not.toContain(SECRET);
  });

  it('still signs deliveries correctly: the fake accepts them', async () => {
    expect(await deliverOne()).toMatchObject({ sent: 1, failed: 0 });
    expect(fake.delivered.at(-1)!.via).toBe('webhook');
    // a box without the key cannot open the stored value: no silent fallback to the sealed text
    store.useSecretBox(SecretBox.random());
    await expect(store.alerts.getTarget(places.fz1.id)).rejects.toThrow(/not configured/);
    store.useSecretBox(new SecretBox(loadKeys({ dataDir: dir }).keys));
  });

  it('rotates the key with npm run secrets -- rotate, and delivery keeps working', async () => {
    const before = await storedSecret(places.fz1.id);
    const oldFile = keyFile();
    const out: string[] = [];
    const env = parseEnv({ NODE_ENV: 'test', AUTH_MODE: 'dev', DATA_DIR: dir });
    const code = await runSecretsJob(store, { argv: ['rotate'], cwd: dir, env }, { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code, out.join('\n')).toBe(0);
    expect(out.join('\n')).toMatch(/re-sealed 1 of 1/);
    expect(keyFile()).not.toBe(oldFile);
    expect(keyFile().trim().split('\n')).toHaveLength(1);
    const after = await storedSecret(places.fz1.id);
    expect(after).not.toBe(before);
    expect(after.split(':')[2]).not.toBe(before.split(':')[2]); // another key id
    expect(after).not.toContain(SECRET);
    expect(await deliverOne()).toMatchObject({ sent: 1, failed: 0 });
    // as after a restart: only the new key file
    store.useSecretBox(new SecretBox(loadKeys({ dataDir: dir }).keys));
    expect(await deliverOne()).toMatchObject({ sent: 1, failed: 0 });
    // the old key alone no longer opens it
    store.useSecretBox(new SecretBox(oldFile.trim().split('\n').map((l) => Buffer.from(l, 'base64'))));
    await expect(store.alerts.getTarget(places.fz1.id)).rejects.toThrow(/not configured/);
    store.useSecretBox(new SecretBox(loadKeys({ dataDir: dir }).keys));
  });

  it('shows admins that a secret is set and the host, never the secret; saving without one keeps it', async () => {
    const admin = callerFor(store, user('admin'));
    await admin.alerts.setTarget({ storeId: places.fz2.id, channel: 'webhook', webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/tok-123', webhookSecret: 'other-secret' });
    const targets = await admin.alerts.targets();
    const fz2 = targets.find((t) => t.storeId === places.fz2.id)!;
    expect(fz2).toMatchObject({ storeCode: 'FZ-002', channel: 'webhook', webhookHost: 'open.feishu.cn', hasSecret: true, enabled: true });
    expect(JSON.stringify(targets)).not.toMatch(/other-secret|s3cret|tok-123|enc:v1/);
    // the form sends what it shows: no URL, no secret -> both kept
    await admin.alerts.setTarget({ storeId: places.fz2.id, channel: 'webhook', enabled: false });
    expect(await store.alerts.getTarget(places.fz2.id)).toMatchObject({ webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/tok-123', webhookSecret: 'other-secret', enabled: false });
    // null removes the secret
    await admin.alerts.setTarget({ storeId: places.fz2.id, channel: 'webhook', webhookSecret: null });
    expect((await admin.alerts.targets()).find((t) => t.storeId === places.fz2.id)).toMatchObject({ hasSecret: false });
  });
});

describe('SECRET_KEY in the environment', () => {
  it('is required when NODE_ENV=production and must be 32 bytes', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', AUTH_MODE: 'feishu' })).toThrow(/SECRET_KEY is required when NODE_ENV=production/);
    expect(() => parseEnv({ NODE_ENV: 'test', SECRET_KEY: 'c2hvcnQ=' })).toThrow(/SECRET_KEY must be 32 random bytes/);
    expect(parseEnv({ NODE_ENV: 'test', SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).SECRET_KEY).toBeDefined();
  });
});
