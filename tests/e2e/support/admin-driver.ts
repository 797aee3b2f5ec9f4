/**
 * The administration screens' part of the domain driver: what an admin does there, in the app's
 * words. Selectors live here, on stable test ids (client/features/admin).
 */
import type { Page } from './browser.js';

const TIMEOUT = 30_000;

export type AdminTab = 'users' | 'stores' | 'import' | 'apiKeys' | 'settings' | 'alerts';

const SECTION: Record<AdminTab, string> = {
  users: 'admin-users',
  stores: 'admin-stores',
  import: 'admin-import',
  apiKeys: 'admin-api-keys',
  settings: 'admin-settings',
  alerts: 'admin-alerts',
};

/** Whether the top bar offers the admin entry (waits for the top bar's user menu first). */
export async function hasAdminEntry(page: Page): Promise<boolean> {
  await page.getByTestId('user-menu').waitFor({ timeout: TIMEOUT });
  return (await page.getByTestId('admin-entry').count()) > 0;
}

/** Opens the administration screen from the top bar, on a section. */
export async function openAdmin(page: Page, tab: AdminTab = 'users'): Promise<void> {
  if (!(await hasAdminEntry(page))) throw new Error('no admin entry in the top bar (is AdminEntry wired into client/app.tsx?)');
  await page.getByTestId('admin-entry').click();
  const admin = page.getByTestId('admin');
  await admin.waitFor({ timeout: TIMEOUT });
  await admin.getByTestId(`admin-tab-${tab}`).click();
  await admin.getByTestId(SECTION[tab]).waitFor({ timeout: TIMEOUT });
}

export interface CreatedKey {
  key: string;
  /** The warning shown with it ("you will not see it again"). */
  warning: string;
}

/** Creates an API key with a name; returns the key as shown (once) and the warning beside it. */
export async function createApiKey(page: Page, name: string): Promise<CreatedKey> {
  const section = page.getByTestId('admin-api-keys');
  await section.getByTestId('api-key-name').fill(name);
  await section.getByTestId('api-key-save').click();
  const created = section.getByTestId('api-key-created');
  await created.waitFor({ timeout: TIMEOUT });
  return { key: await created.getByTestId('api-key-value').inputValue(), warning: (await created.getByTestId('api-key-once').textContent()) ?? '' };
}

/** "I have stored it": the key leaves the screen. */
export async function dismissCreatedKey(page: Page): Promise<void> {
  await page.getByTestId('api-key-done').click();
  await page.getByTestId('api-key-created').waitFor({ state: 'detached', timeout: TIMEOUT });
}

/** Everything the API keys section shows, as text (to check a key is not in it). */
export async function apiKeysText(page: Page): Promise<string> {
  const section = page.getByTestId('admin-api-keys');
  const values = await section.locator('input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  return `${(await section.textContent()) ?? ''}\n${values.join('\n')}`;
}

/** The listed key of this name: whether it is revoked. */
export async function apiKeyRow(page: Page, name: string): Promise<{ revoked: boolean }> {
  const row = page.locator(`[data-testid="api-key-row"][data-key-name="${name}"]`);
  await row.waitFor({ timeout: TIMEOUT });
  return { revoked: (await row.getAttribute('data-revoked')) === '1' };
}

/** Revokes the key of this name, confirming; resolves when the list shows it revoked. */
export async function revokeApiKey(page: Page, name: string): Promise<void> {
  const row = page.locator(`[data-testid="api-key-row"][data-key-name="${name}"]`);
  await row.getByTestId('api-key-revoke').click();
  await row.getByTestId('api-key-revoke-confirm').click();
  await page.locator(`[data-testid="api-key-row"][data-key-name="${name}"][data-revoked="1"]`).waitFor({ timeout: TIMEOUT });
}

/** The store row of a code as the admin list shows it. */
export async function storeRow(page: Page, code: string): Promise<{ radiusM: number; archived: boolean; text: string }> {
  const section = page.getByTestId('admin-stores');
  await section.getByTestId('store-search').fill(code);
  const row = section.locator(`[data-testid="store-row"][data-store-code="${code}"]`);
  await row.waitFor({ timeout: TIMEOUT });
  return { radiusM: Number(await row.getAttribute('data-radius')), archived: (await row.getAttribute('data-archived')) === '1', text: (await row.textContent()) ?? '' };
}

/** Edits a store's delivery radius (metres) through its form; resolves when the list shows the new radius. */
export async function setStoreRadius(page: Page, code: string, radiusM: number): Promise<void> {
  const section = page.getByTestId('admin-stores');
  await storeRow(page, code);
  await section.locator(`[data-testid="store-row"][data-store-code="${code}"]`).getByTestId('store-edit').click();
  const form = section.getByTestId('store-form');
  await form.getByTestId('store-radius').fill(String(radiusM));
  await form.getByTestId('store-save').click();
  await form.waitFor({ state: 'detached', timeout: TIMEOUT });
  await section.locator(`[data-testid="store-row"][data-store-code="${code}"][data-radius="${radiusM}"]`).waitFor({ timeout: TIMEOUT });
}

export interface ListedStore {
  id: number;
  code: string;
  lat: number;
  lng: number;
  radiusM: number;
}

/** `stores.list` as the signed-in user's session gets it (what the map's store picker uses). */
export async function storesList(page: Page): Promise<ListedStore[]> {
  return page.evaluate(async () => {
    const res = await fetch('/trpc/stores.list', { credentials: 'include' });
    if (!res.ok) throw new Error(`stores.list answered ${res.status}`);
    return ((await res.json()) as { result: { data: ListedStore[] } }).result.data;
  });
}

export interface ImportOutcome {
  state: 'done' | 'failed' | 'cancelled';
  /** The refusal or cancel message (failed, cancelled). */
  error: string | null;
  /** Rows read and the progress bar's value (0..1) as shown at the end. */
  rowsRead: number;
  progress: number | null;
  /** The report's counts (done). */
  imported: number | null;
  duplicates: number | null;
  rejectedCount: number | null;
  /** Rejected rows listed, [row, field]: the report's (done) or the refusal's (strict, failed). */
  rejectedRows: Array<[row: number, field: string]>;
}

/**
 * On the import section: chooses the profile, the strict option and a file made in memory, and
 * uploads it. Returns the id of the import shown before, for importOutcome to wait past it.
 */
export async function uploadImportFile(page: Page, file: { name: string; content: string }, opts: { profile: string; strict: boolean }): Promise<string | null> {
  const section = page.getByTestId('admin-import');
  const shown = section.getByTestId('import-job');
  const previous = (await shown.count()) ? await shown.getAttribute('data-job-id') : null;
  await section.getByTestId('import-profile').selectOption(opts.profile);
  await section.getByTestId('import-strict').setChecked(opts.strict);
  await section.getByTestId('import-file').setInputFiles({ name: file.name, mimeType: 'text/csv', buffer: Buffer.from(file.content) });
  await section.getByTestId('import-submit').click();
  return previous;
}

/** Waits for the import shown (another than `previous`) to end and reads what the page shows of it. */
export async function importOutcome(page: Page, previous: string | null = null): Promise<ImportOutcome> {
  const notPrevious = previous ? `:not([data-job-id="${previous}"])` : '';
  const job = page.locator(['done', 'failed', 'cancelled'].map((s) => `[data-testid="import-job"][data-state="${s}"]${notPrevious}`).join(', '));
  await job.waitFor({ timeout: TIMEOUT });
  const state = (await job.getAttribute('data-state')) as ImportOutcome['state'];
  const count = async (id: string) => {
    const el = job.getByTestId(id);
    return (await el.count()) ? Number(((await el.textContent()) ?? '').replace(/[^\d]/g, '')) : null;
  };
  const bar = job.getByTestId('import-progress');
  const hasBar = (await bar.count()) > 0;
  const rows = job.locator('[data-testid="import-rejected-rows"] tbody tr, [data-testid="import-refused-rows"] tbody tr');
  const rejectedRows = await rows.evaluateAll((trs) => trs.map((tr) => [Number(tr.getAttribute('data-row')), tr.getAttribute('data-field') ?? ''] as [number, string]));
  const error = job.getByTestId('import-error');
  return {
    state,
    error: (await error.count()) ? ((await error.textContent()) ?? '') : null,
    rowsRead: hasBar ? Number(await bar.getAttribute('data-rows-read')) : 0,
    progress: hasBar ? await bar.evaluate((el) => (el as HTMLProgressElement).value) : null,
    imported: await count('import-imported'),
    duplicates: await count('import-duplicates'),
    rejectedCount: await count('import-rejected-count'),
    rejectedRows,
  };
}
