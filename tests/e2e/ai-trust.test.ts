/**
 * The AI-trust card in the dashboard: per category what the API computes (confirm rate, awaiting
 * review), and bulk confirmation above the admins' threshold from the card.
 */
import { describe, expect, test } from 'vitest';
import { openDashboard } from './support/dashboard-driver.js';
import { signInAs, trpcFromPage, waitForHexagons } from './support/driver.js';
import { useE2eSession } from './support/session.js';

/** A tRPC call from the page, with its session cookie (GET for queries, POST JSON for mutations). */

describe('AI trust card', { timeout: 180_000 }, () => {
  const session = useE2eSession();

  test('shows each category as the API computes it, and confirms in bulk above the admins\' threshold', async () => {
    const { page, consoleErrors } = await session.newPage();
    await signInAs(page, 'demo-admin');
    await waitForHexagons(page);
    await trpcFromPage(page, 'aiTrust.setThreshold', { bulkThreshold: 0.5 }, true);
    const figures = await trpcFromPage<{ byCategory: Array<{ category: string; pending: number; confirmRate: number | null }> }>(page, 'aiTrust.figures', {});
    const above = await trpcFromPage<{ total: number }>(page, 'aiTrust.queue', { limit: 1, minConfidence: 0.5 });

    await openDashboard(page);
    const card = page.getByTestId('ai-trust');
    await card.getByTestId('ai-trust-table').waitFor({ timeout: 30_000 });
    const rows = await card.getByTestId('ai-trust-row').evaluateAll((els) =>
      els.map((e) => ({ category: e.getAttribute('data-category'), pending: Number(e.getAttribute('data-pending')), rate: e.getAttribute('data-confirm-rate') })),
    );
    expect(rows).toEqual(figures.byCategory.map((c) => ({ category: c.category, pending: c.pending, rate: c.confirmRate === null ? '' : String(c.confirmRate) })));

    const button = card.getByTestId('ai-trust-bulk');
    await page.waitForFunction((n) => document.querySelector('[data-testid="ai-trust-bulk"]')?.textContent?.includes(`Confirm ${n} `) === true, above.total, { timeout: 30_000 });
    expect(above.total).toBeGreaterThan(0);
    {
      await button.click();
      await card.getByTestId('ai-trust-bulk-done').waitFor({ timeout: 30_000 });
      expect(await card.getByTestId('ai-trust-bulk-done').textContent()).toBe(`${above.total} confirmed.`);
      expect((await trpcFromPage<{ total: number }>(page, 'aiTrust.queue', { limit: 1, minConfidence: 0.5 })).total).toBe(0);
    }
    expect(consoleErrors).toEqual([]);
  });
});
