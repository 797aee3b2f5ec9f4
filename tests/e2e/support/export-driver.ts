/** The export buttons of the filter panel: what a person downloads, and what the API says it holds. */
import { readFile } from 'node:fs/promises';
import type { Page } from './browser.js';

export async function downloadExport(page: Page, kind: 'csv' | 'geojson'): Promise<{ name: string; text: string; href: string }> {
  const link = page.getByTestId(`export-${kind}`);
  await link.waitFor({ timeout: 60_000 });
  const href = (await link.getAttribute('href')) ?? '';
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), link.click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8'), href };
}

/** incidents.list's total for the filter a link carries (the page's own session). */
export async function listTotalForExportLink(page: Page, href: string): Promise<number> {
  const filters = JSON.parse(new URL(href, 'http://x').searchParams.get('filters')!);
  return page.evaluate(async (f) => {
    const res = await fetch(`/trpc/incidents.list?input=${encodeURIComponent(JSON.stringify({ filters: f, limit: 1 }))}`);
    return (await res.json()).result.data.total as number;
  }, filters);
}
