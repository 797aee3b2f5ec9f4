/**
 * What both engines share: every IncidentStore method whose SQL is the same on DuckDB and
 * PostgreSQL. Engine files add the connection handling, the bulk writer and the hot queries
 * each engine answers its own fastest way.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Severity } from '../domain/incident.js';
import { queryHexbins, queryIncidentPage } from './incident-queries.js';
import { backfillCellColumns } from './cell-backfill.js';
import type { BackfillOptions } from './cell-backfill.js';
import { SqlChangeFeed } from './change-feed.js';
import type { ChangeFeed } from './change-feed.js';
import { applyMigrations } from './migrations.js';
import { SqlSecurityStore } from './security.js';
import type { SecurityStore } from './security.js';
import { SqlWorkflowStore } from './workflow.js';
import { SqlAlertStore } from './alerts.js';
import { SqlCountermeasureStore } from './countermeasures.js';
import { SqlExposureStore } from './exposure.js';
import { SqlAiTrustStore } from './ai-trust.js';
import type { SecretBox } from '../security/secret-box.js';
import { SqlStatsStore } from './stats.js';
import { SqlWorkLoopStore } from './work-loop.js';
import type { SqlDb, SqlRow } from './sql-db.js';
import { sqlIntList } from './sql-db.js';
import { col, INCIDENT_COLUMNS, incidentScopePredicate, rowToIncident } from './sql-rows.js';
import type {
  City,
  CityInput,
  Hexbins,
  HexbinQuery,
  IncidentListQuery,
  IncidentPage,
  Engine,
  Incident,
  IncidentEvent,
  IncidentStore,
  IncidentTotals,
  IncidentInput,
  IncidentWriter,
  Scope,
  StoreInput,
  StoreRecord,
  User,
  UserInput,
  WriteSummary,
  WriterOptions,
} from './types.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === '23505' || /duplicate key|unique constraint/i.test(String(e?.message ?? ''));
}

function userFromRow(u: SqlRow, storeIds: number[]): User {
  return {
    id: col.text(u, 'id'),
    name: col.text(u, 'name'),
    role: col.text(u, 'role') as User['role'],
    feishuOpenId: col.textOrNull(u, 'feishu_open_id'),
    storeIds,
  };
}

function rowToCity(r: SqlRow): City {
  return {
    id: col.number(r, 'id'),
    key: col.text(r, 'key'),
    name: col.text(r, 'name'),
    nameZh: col.textOrNull(r, 'name_zh'),
    tz: col.text(r, 'tz'),
    centerLat: col.number(r, 'center_lat'),
    centerLng: col.number(r, 'center_lng'),
  };
}

function rowToStore(r: SqlRow): StoreRecord {
  return {
    id: col.number(r, 'id'),
    code: col.text(r, 'code'),
    name: col.text(r, 'name'),
    cityId: col.number(r, 'city_id'),
    cityName: col.text(r, 'city_name'),
    lat: col.number(r, 'lat'),
    lng: col.number(r, 'lng'),
    radiusM: col.number(r, 'radius_m'),
  };
}

/**
 * A store changes city (an admin correcting it). Its incidents follow it: an incident's city is
 * its store's city (ingest derives one from the other, city filters and store scopes must agree,
 * and on Citus both keys route the row), so their city_id changes in the same transaction; their
 * coordinates stay as recorded. Alerts keep the city they were raised in: they are history.
 * On DuckDB this needs migration 009 (store.city_id without its foreign key, which made DuckDB
 * rewrite the row and trip over user_store's references to it).
 */
async function moveStoreToCity(tx: SqlDb, storeId: number, cityId: number): Promise<void> {
  await tx.query(`UPDATE store SET city_id = $2 WHERE id = $1`, [storeId, cityId]);
  await tx.query(`UPDATE incident SET city_id = $2 WHERE store_id = $1 AND city_id <> $2`, [storeId, cityId]);
}

export abstract class SqlIncidentStore implements IncidentStore {
  abstract readonly engine: Engine;
  protected abstract readonly db: SqlDb;

  /** Stateless over the engine's db, so a getter costs one small object. */
  get security(): SecurityStore {
    return new SqlSecurityStore(this.db);
  }

  /** Stateless over the engine's db, like security. */
  get workflow(): import('./workflow.js').WorkflowStore {
    return new SqlWorkflowStore(this.db);
  }

  /** Stateless over the engine's db, like security. */
  get stats(): import('./stats.js').StatsStore {
    return new SqlStatsStore(this.db);
  }

  /** Seals and opens third-party secrets (server/security/secret-box.ts); openStore installs it. */
  secretBox: SecretBox | null = null;

  useSecretBox(box: SecretBox): void {
    this.secretBox = box;
  }

  /** Stateless over the engine's db; the engine picks the job lock. */
  get alerts(): import('./alerts.js').AlertStore {
    return new SqlAlertStore(this.db, this.engine, this.secretBox);
  }

  /** Stateless over the engine's db, like security. */
  get workLoop(): import('./work-loop.js').WorkLoopStore {
    return new SqlWorkLoopStore(this.db);
  }

  private changeFeedReader: SqlChangeFeed | null = null;
  /** One per store: it shares identical reads among subscribers. */
  get changeFeed(): ChangeFeed {
    return (this.changeFeedReader ??= new SqlChangeFeed(this.changeFeedDb ?? this.db, (listener) => this.watchChanges(listener)));
  }

  /** Where the change feed reads, when not the shared `db` (DuckDB: a connection of its own). */
  protected readonly changeFeedDb?: SqlDb;

  /** Calls `listener` after changes were committed (on PostgreSQL: by any instance). */
  protected abstract watchChanges(listener: () => void): () => void;
  get countermeasures(): import('./countermeasures.js').CountermeasureStore {
    return new SqlCountermeasureStore(this.db);
  }

  /** Stateless over the engine's db, like security. */
  get exposure(): import('./exposure.js').ExposureStore {
    return new SqlExposureStore(this.db);
  }

  /** Stateless over the engine's db, like security; bulk confirmation goes through the workflow. */
  get aiTrust(): import('./ai-trust.js').AiTrustStore {
    return new SqlAiTrustStore(this.db, this.workflow, { get: (k) => this.getMeta(k), set: (k, v) => this.setMeta(k, v) });
  }

  abstract close(): Promise<void>;
  abstract openIncidentWriter(opts?: WriterOptions): Promise<IncidentWriter>;

  /**
   * One batch in one transaction. PostgreSQL commits batches concurrently: its unique index on
   * (source, external_id) fails the later of two commits of the same key, and the retry skips it.
   */
  async ingest(incidents: readonly IncidentInput[]): Promise<WriteSummary> {
    for (let attempt = 1; ; attempt++) {
      const writer = await this.openIncidentWriter();
      try {
        await writer.write(incidents);
        return await writer.commit();
      } catch (error) {
        await writer.rollback();
        if (attempt >= 3 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  async checkpoint(): Promise<void> {}

  /** PostgreSQL takes an advisory lock so that several instances starting at once migrate once. */
  protected migrationLock?(tx: SqlDb): Promise<void>;

  async migrate(opts: { upTo?: number } & Omit<BackfillOptions, 'checkpoint'> = {}): Promise<void> {
    const applied = await applyMigrations(this.db, this.engine, this.migrationLock?.bind(this), opts.upTo);
    if (applied.length) await this.checkpoint();
    // migration 005's cell columns are filled once the schema is complete (a restore migrates in
    // two steps, loading its rows, with their cells, in between)
    if (opts.upTo === undefined) {
      const filled = await backfillCellColumns(this.db, { log: opts.log, batchRows: opts.batchRows, checkpoint: () => this.checkpoint() });
      if (filled) await this.checkpoint();
    }
  }

  /** Plain SQL on the whole database, for tools that work on every table (backup and restore). */
  sqlForTools(): SqlDb {
    return this.db;
  }

  async getMeta(key: string): Promise<string | null> {
    const rows = await this.db.query(`SELECT value FROM meta WHERE key = $1`, [key]);
    return rows.length ? col.text(rows[0]!, 'value') : null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.db.query(
      `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [key, value],
    );
  }

  // The upserts read the row back with a SELECT instead of RETURNING: DuckDB runs
  // `ON CONFLICT DO UPDATE ... RETURNING` as delete + insert, which a referenced row (a city with
  // stores, a store with managers) fails as a foreign-key violation.
  async upsertCity(city: CityInput): Promise<City> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO city (key, name, name_zh, tz, center_lat, center_lng) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh, tz = excluded.tz,
           center_lat = excluded.center_lat, center_lng = excluded.center_lng`,
        [city.key, city.name, city.nameZh ?? null, city.tz, city.centerLat, city.centerLng],
      );
      return rowToCity((await tx.query(`SELECT * FROM city WHERE key = $1`, [city.key]))[0]!);
    });
  }

  async listCities(): Promise<City[]> {
    return (await this.db.query(`SELECT * FROM city ORDER BY id`)).map(rowToCity);
  }

  async upsertStores(stores: readonly StoreInput[]): Promise<StoreRecord[]> {
    return this.db.transaction(async (tx) => {
      const ids: number[] = [];
      for (const s of stores) {
        const values = [s.code, s.name, s.cityId, s.lat, s.lng, Math.round(s.radiusM)];
        await tx.query(
          `INSERT INTO store (code, name, city_id, lat, lng, radius_m) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (code) DO NOTHING`,
          values,
        );
        await tx.query(`UPDATE store SET name = $2, lat = $3, lng = $4, radius_m = $5 WHERE code = $1`, [
          s.code,
          s.name,
          s.lat,
          s.lng,
          Math.round(s.radiusM),
        ]);
        const [current] = await tx.query(`SELECT id, city_id FROM store WHERE code = $1`, [s.code]);
        const id = col.number(current!, 'id');
        if (col.number(current!, 'city_id') !== s.cityId) await moveStoreToCity(tx, id, s.cityId);
        ids.push(id);
      }
      if (!ids.length) return [];
      const rows = await tx.query(
        `SELECT s.*, c.name AS city_name FROM store s JOIN city c ON c.id = s.city_id WHERE s.id IN ${sqlIntList(ids)}`,
      );
      const byId = new Map(rows.map((r) => [col.number(r, 'id'), rowToStore(r)]));
      return ids.map((id) => byId.get(id)!);
    });
  }

  async listStores(scope: Scope, opts: { includeArchived?: boolean } = {}): Promise<StoreRecord[]> {
    const where = `${opts.includeArchived ? 'TRUE' : 's.archived_at IS NULL'} AND ${scope.all ? 'TRUE' : `s.id IN ${sqlIntList(scope.storeIds)}`}`;
    const rows = await this.db.query(
      `SELECT s.*, c.name AS city_name FROM store s JOIN city c ON c.id = s.city_id WHERE ${where} ORDER BY s.code`,
    );
    return rows.map(rowToStore);
  }

  async upsertUsers(users: readonly UserInput[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const u of users) {
        await tx.query(
          `INSERT INTO app_user (id, name, role, feishu_open_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,
             feishu_open_id = excluded.feishu_open_id`,
          [u.id, u.name, u.role, u.feishuOpenId ?? null],
        );
        await tx.query(`DELETE FROM user_store WHERE user_id = $1`, [u.id]);
        for (const storeId of new Set(u.storeIds)) {
          await tx.query(`INSERT INTO user_store (user_id, store_id) VALUES ($1, $2)`, [u.id, storeId]);
        }
      }
    });
  }

  private async usersWhere(where: string, params: string[]): Promise<User[]> {
    const users = await this.db.query(`SELECT * FROM app_user u WHERE ${where} ORDER BY u.id`, params);
    if (!users.length) return [];
    const links = await this.db.query(
      `SELECT us.user_id, us.store_id FROM user_store us JOIN app_user u ON u.id = us.user_id WHERE ${where}
       ORDER BY us.store_id`,
      params,
    );
    return users.map((u) => userFromRow(u, links.filter((l) => l.user_id === u.id).map((l) => col.number(l, 'store_id'))));
  }

  listUsers(): Promise<User[]> {
    return this.usersWhere('TRUE', []);
  }

  async getUser(id: string): Promise<User | null> {
    return this.userById(id, false);
  }

  /**
   * One user by id, in two statements without a join: every signed-in request resolves its
   * session through here, and on DuckDB a join's planning costs more than its rows (measured
   * in one process on the 2M demo, medians of 31 interleaved: the session, user and stores with
   * joins 9.0 ms, without 6.6 ms).
   */
  private async userById(id: string, enabledOnly: boolean): Promise<User | null> {
    const users = await this.db.query(`SELECT * FROM app_user WHERE id = $1${enabledOnly ? ' AND disabled_at IS NULL' : ''}`, [id]);
    const u = users[0];
    if (!u) return null;
    const links = await this.db.query(`SELECT store_id FROM user_store WHERE user_id = $1 ORDER BY store_id`, [id]);
    return userFromRow(u, links.map((l) => col.number(l, 'store_id')));
  }

  async createSession(userId: string, ttlMs: number, replaces?: string | null): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.db.transaction(async (tx) => {
      // expired sessions are useless: each sign-in sweeps them away
      await tx.query(`DELETE FROM session WHERE expires_at < $1`, [new Date()]);
      if (replaces) await tx.query(`DELETE FROM session WHERE token_hash = $1`, [hashToken(replaces)]);
      await tx.query(`INSERT INTO session (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`, [
        hashToken(token),
        userId,
        new Date(Date.now() + ttlMs),
      ]);
    });
    return token;
  }

  async sessionUser(token: string): Promise<User | null> {
    return (await this.sessionOf(token))?.user ?? null;
  }

  /** The signed-in user of a live session, and when the session ends. */
  protected async sessionOf(token: string): Promise<{ user: User; expiresAt: Date } | null> {
    // a disabled user's sessions stop working at once (issue 10: `npm run users -- disable`)
    const rows = await this.db.query(`SELECT user_id, expires_at FROM session WHERE token_hash = $1 AND expires_at > $2`, [hashToken(token), new Date()]);
    if (!rows.length) return null;
    const user = await this.userById(col.text(rows[0]!, 'user_id'), true);
    return user && { user, expiresAt: col.date(rows[0]!, 'expires_at') };
  }

  async deleteSession(token: string): Promise<void> {
    await this.db.query(`DELETE FROM session WHERE token_hash = $1`, [hashToken(token)]);
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db.query(`DELETE FROM session WHERE user_id = $1`, [userId]);
  }

  async incidentTotals(scope: Scope, opts: { source?: string; cityId?: number } = {}): Promise<IncidentTotals> {
    const where = [incidentScopePredicate(scope)];
    const params: (string | number)[] = [];
    if (opts.source) {
      params.push(opts.source);
      where.push(`i.source = $${params.length}`);
    }
    if (opts.cityId !== undefined) {
      params.push(opts.cityId);
      where.push(`i.city_id = $${params.length}`);
    }
    const rows = await this.db.query(
      `SELECT i.severity, count(*) AS n FROM incident i WHERE ${where.join(' AND ')} GROUP BY i.severity`,
      params,
    );
    const bySeverity: Record<Severity, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
    for (const r of rows) bySeverity[col.number(r, 'severity') as Severity] = col.number(r, 'n');
    return { total: Object.values(bySeverity).reduce((a, b) => a + b, 0), bySeverity };
  }

  async incidentBySourceKey(source: string, externalId: string, scope: Scope): Promise<Incident | null> {
    const rows = await this.db.query(
      `SELECT ${INCIDENT_COLUMNS} FROM incident i WHERE i.source = $1 AND i.external_id = $2 AND ${incidentScopePredicate(scope)}`,
      [source, externalId],
    );
    return rows.length ? rowToIncident(rows[0]!) : null;
  }

  async incidentById(id: number, scope: Scope): Promise<{ incident: Incident; events: IncidentEvent[] } | null> {
    const rows = await this.db.query(
      `SELECT ${INCIDENT_COLUMNS} FROM incident i WHERE i.id = $1 AND ${incidentScopePredicate(scope)}`,
      [id],
    );
    if (!rows.length) return null;
    const events = await this.db.query(
      `SELECT id, happened_at, actor, from_status, to_status, note FROM incident_event WHERE incident_id = $1 ORDER BY happened_at, id`,
      [id],
    );
    return {
      incident: rowToIncident(rows[0]!),
      events: events.map((e) => ({
        id: col.number(e, 'id'),
        at: col.date(e, 'happened_at'),
        actor: col.text(e, 'actor'),
        fromStatus: col.textOrNull(e, 'from_status') as IncidentEvent['fromStatus'] | null,
        toStatus: col.text(e, 'to_status') as IncidentEvent['toStatus'],
        note: col.textOrNull(e, 'note'),
      })),
    };
  }

  hexbins(query: HexbinQuery, scope: Scope): Promise<Hexbins> {
    return queryHexbins(this.db, query, scope);
  }

  listIncidents(query: IncidentListQuery, scope: Scope): Promise<IncidentPage> {
    return queryIncidentPage(this.db, query, scope);
  }
}
