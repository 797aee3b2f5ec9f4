/**
 * The security sub-store: API keys, Feishu identities, admin edits of users and stores,
 * and admin settings. One SQL implementation serves DuckDB and PostgreSQL (the dialects agree).
 * Reached as `store.security`.
 */
import { CLOSURE_RATE_TARGET } from '../domain/closure.js';
import { SLA_HOURS_BY_SEVERITY } from '../domain/incident.js';
import { createHash, randomBytes } from 'node:crypto';
import type { SqlDb } from './sql-db.js';
import { col } from './sql-rows.js';

export interface ApiKeyInfo {
  id: string;
  name: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Admin settings kept in the meta table; defaults apply until an admin saves. */
export interface AdminSettings {
  /** Let a Feishu user unknown to Hexwatch in as a viewer on first sign-in. */
  autoViewer: boolean;
  /** Hours from occurrence until due, by severity 1..4. */
  slaHours: { 1: number; 2: number; 3: number; 4: number };
  /** Monthly closure-rate target, 0..1. */
  closureTarget: number;
  /** The work loop in Feishu: morning cards and escalations. */
  workLoop: WorkLoopSettings;
}

export interface WorkLoopSettings {
  /** Local time (`HH:MM`, the city's zone) of the morning card: by city id, `default` for the rest. */
  digestTimes: Record<string, string>;
  /** Send the morning card even to a manager with nothing to do (a daily summary). */
  dailySummary: boolean;
  /** Send it to the store's group (its app-bot chat, when it has one) instead of the manager. */
  toStoreGroup: boolean;
  /** Hours overdue before an incident is escalated to analysts, and between further steps. */
  escalateAfterHours: number;
}

export const DEFAULT_WORK_LOOP: WorkLoopSettings = {
  digestTimes: { default: '08:30' },
  dailySummary: false,
  toStoreGroup: false,
  escalateAfterHours: 24,
};

export const DEFAULT_SETTINGS: AdminSettings = {
  autoViewer: false,
  slaHours: { ...SLA_HOURS_BY_SEVERITY },
  closureTarget: CLOSURE_RATE_TARGET,
  workLoop: DEFAULT_WORK_LOOP,
};

const SETTINGS_META_KEY = 'admin.settings';
/** Keys read `hwk_<id>_<secret>`: the id finds the row in logs without revealing the secret. */
const KEY_PREFIX = 'hwk_';

/** sha256 hex: keys are 256-bit random, so a fast hash is enough (no password stretching needed). */
function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface SecurityStore {
  /** A new key; the plain key is returned once and only its hash is stored. */
  createApiKey(name: string, createdBy: string): Promise<{ id: string; key: string }>;
  listApiKeys(): Promise<ApiKeyInfo[]>;
  /** Returns false when no such key exists; revoking twice keeps the first time. */
  revokeApiKey(id: string): Promise<boolean>;
  /** The live (unrevoked) key a bearer token is, or null. Records the use. */
  verifyApiKey(key: string): Promise<ApiKeyInfo | null>;

  /** The user whose Feishu open id this is, as a user id, or null. */
  userIdByFeishuOpenId(openId: string): Promise<string | null>;
  /** Removes a user with their store links and sessions. */
  deleteUser(id: string): Promise<boolean>;
  /**
   * Disables (true) or enables (false) a user; false when no such user. A disabled user keeps
   * their name on incidents and comments, but their sessions end and they cannot sign in.
   */
  setUserDisabled(id: string, disabled: boolean): Promise<boolean>;
  /** Ids of disabled users. */
  disabledUserIds(): Promise<string[]>;

  /** Archive (true) or restore (false) a store; false when no such store. */
  setStoreArchived(id: number, archived: boolean): Promise<boolean>;
  /**
   * Gives store `id` a new code, keeping its id (so its incidents, users and alerts) and recording
   * the old code. 'missing': no such store; 'taken': another store has the code.
   */
  changeStoreCode(id: number, code: string, by: string, at: Date): Promise<'changed' | 'unchanged' | 'missing' | 'taken'>;
  /** Earlier codes of each store, oldest first. */
  storeCodeHistory(): Promise<Map<number, { oldCode: string; newCode: string; changedBy: string; changedAt: Date }[]>>;
  /** Ids of archived stores. */
  archivedStoreIds(): Promise<number[]>;

  settings(): Promise<AdminSettings>;
  saveSettings(settings: AdminSettings): Promise<void>;
}

function rowToKey(r: Record<string, unknown>): ApiKeyInfo {
  return {
    id: col.text(r, 'id'),
    name: col.text(r, 'name'),
    createdBy: col.text(r, 'created_by'),
    createdAt: col.date(r, 'created_at'),
    lastUsedAt: col.dateOrNull(r, 'last_used_at'),
    revokedAt: col.dateOrNull(r, 'revoked_at'),
  };
}

export class SqlSecurityStore implements SecurityStore {
  constructor(private readonly db: SqlDb) {}

  async createApiKey(name: string, createdBy: string): Promise<{ id: string; key: string }> {
    const id = randomBytes(6).toString('hex');
    const key = `${KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
    await this.db.query(`INSERT INTO api_key (id, name, key_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`, [
      id,
      name,
      hashKey(key),
      createdBy,
      new Date(),
    ]);
    return { id, key };
  }

  async listApiKeys(): Promise<ApiKeyInfo[]> {
    return (await this.db.query(`SELECT * FROM api_key ORDER BY created_at, id`)).map(rowToKey);
  }

  async revokeApiKey(id: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT id FROM api_key WHERE id = $1`, [id]);
    if (!rows.length) return false;
    await this.db.query(`UPDATE api_key SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, new Date()]);
    return true;
  }

  async verifyApiKey(key: string): Promise<ApiKeyInfo | null> {
    // Only well-formed keys reach the database; the hash lookup compares in constant time per row.
    if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
    const rows = await this.db.query(`SELECT * FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL`, [hashKey(key)]);
    if (!rows.length) return null;
    const info = rowToKey(rows[0]!);
    // last use at minute granularity: one write per key per minute, not one per request
    const now = new Date();
    if (!info.lastUsedAt || now.getTime() - info.lastUsedAt.getTime() > 60_000) {
      await this.db.query(`UPDATE api_key SET last_used_at = $2 WHERE id = $1`, [info.id, now]);
      info.lastUsedAt = now;
    }
    return info;
  }

  async userIdByFeishuOpenId(openId: string): Promise<string | null> {
    const rows = await this.db.query(`SELECT id FROM app_user WHERE feishu_open_id = $1 ORDER BY id LIMIT 1`, [openId]);
    return rows.length ? col.text(rows[0]!, 'id') : null;
  }

  async deleteUser(id: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT id FROM app_user WHERE id = $1`, [id]);
    if (!rows.length) return false;
    // Separate statements, not one transaction: DuckDB checks foreign keys against the state before
    // the transaction, so deleting the children and the parent together fails there. Sessions go
    // first, so a failure half-way leaves the user signed out, never a session without a user.
    await this.db.query(`DELETE FROM session WHERE user_id = $1`, [id]);
    await this.db.query(`DELETE FROM user_store WHERE user_id = $1`, [id]);
    await this.db.query(`DELETE FROM app_user WHERE id = $1`, [id]);
    return true;
  }

  async setUserDisabled(id: string, disabled: boolean): Promise<boolean> {
    const rows = await this.db.query(`SELECT id FROM app_user WHERE id = $1`, [id]);
    if (!rows.length) return false;
    // Flag first, then end the sessions: a crash in between leaves a disabled user whose sessions
    // are already refused (sessionUser checks the flag), never a signed-in disabled user.
    await this.db.query(`UPDATE app_user SET disabled_at = $2 WHERE id = $1 AND (disabled_at IS NULL) = $3`, [id, disabled ? new Date() : null, disabled]);
    if (disabled) await this.db.query(`DELETE FROM session WHERE user_id = $1`, [id]);
    return true;
  }

  async disabledUserIds(): Promise<string[]> {
    return (await this.db.query(`SELECT id FROM app_user WHERE disabled_at IS NOT NULL ORDER BY id`)).map((r) => col.text(r, 'id'));
  }

  async setStoreArchived(id: number, archived: boolean): Promise<boolean> {
    const rows = await this.db.query(`SELECT id FROM store WHERE id = $1`, [id]);
    if (!rows.length) return false;
    await this.db.query(`UPDATE store SET archived_at = $2 WHERE id = $1`, [id, archived ? new Date() : null]);
    return true;
  }

  async changeStoreCode(id: number, code: string, by: string, at: Date): Promise<'changed' | 'unchanged' | 'missing' | 'taken'> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(`SELECT code FROM store WHERE id = $1`, [id]);
      if (!rows.length) return 'missing';
      const old = col.text(rows[0]!, 'code');
      if (old === code) return 'unchanged';
      if ((await tx.query(`SELECT id FROM store WHERE code = $1`, [code])).length) return 'taken';
      await tx.query(`UPDATE store SET code = $2 WHERE id = $1`, [id, code]);
      await tx.query(`INSERT INTO store_code_history (store_id, old_code, new_code, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)`, [id, old, code, by, at]);
      return 'changed';
    });
  }

  async storeCodeHistory(): Promise<Map<number, { oldCode: string; newCode: string; changedBy: string; changedAt: Date }[]>> {
    const rows = await this.db.query(`SELECT * FROM store_code_history ORDER BY changed_at, old_code`);
    const byStore = new Map<number, { oldCode: string; newCode: string; changedBy: string; changedAt: Date }[]>();
    for (const r of rows) {
      const list = byStore.get(col.number(r, 'store_id')) ?? [];
      list.push({ oldCode: col.text(r, 'old_code'), newCode: col.text(r, 'new_code'), changedBy: col.text(r, 'changed_by'), changedAt: col.date(r, 'changed_at') });
      byStore.set(col.number(r, 'store_id'), list);
    }
    return byStore;
  }

  async archivedStoreIds(): Promise<number[]> {
    return (await this.db.query(`SELECT id FROM store WHERE archived_at IS NOT NULL ORDER BY id`)).map((r) => col.number(r, 'id'));
  }

  async settings(): Promise<AdminSettings> {
    const rows = await this.db.query(`SELECT value FROM meta WHERE key = $1`, [SETTINGS_META_KEY]);
    if (!rows.length) return structuredClone(DEFAULT_SETTINGS);
    const saved = JSON.parse(col.text(rows[0]!, 'value')) as Partial<AdminSettings>;
    const defaults = structuredClone(DEFAULT_SETTINGS);
    return { ...defaults, ...saved, workLoop: { ...defaults.workLoop, ...saved.workLoop } };
  }

  async saveSettings(settings: AdminSettings): Promise<void> {
    await this.db.query(
      `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [SETTINGS_META_KEY, JSON.stringify(settings)],
    );
  }
}
