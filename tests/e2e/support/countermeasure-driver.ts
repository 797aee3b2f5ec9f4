/**
 * Domain steps for countermeasures in the browser: make one from the selected hexagon, read its
 * panel. Selectors are the components' test ids; the Playwright import stays in browser.ts.
 */
import type { Page } from './browser.js';

export interface CountermeasureDraft {
  title: string;
  owner: string;
  /** YYYY-MM-DD */
  startDate: string;
}

/** From the open cell panel of `cell`: "New countermeasure here", fill the form, create. Returns the new id. */
export async function createCountermeasureFromCell(page: Page, cell: string, draft: CountermeasureDraft): Promise<number> {
  const panel = page.locator(`[data-testid="cell-panel"][data-cell="${cell}"]`);
  await panel.getByTestId('cm-new').click();
  const form = page.getByTestId('countermeasure-form');
  await form.waitFor();
  await form.getByTestId('cm-title').fill(draft.title);
  await form.getByTestId('cm-owner').fill(draft.owner);
  await form.getByTestId('cm-start').fill(draft.startDate);
  await form.getByTestId('cm-create').click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('cm') !== null, undefined, { timeout: 15_000 });
  return Number(new URL(page.url()).searchParams.get('cm'));
}

export interface CountermeasurePanelView {
  title: string;
  verdict: string;
  before: number;
  after: number;
  windows: string[];
  ratio: string;
}

/** Waits for the panel of countermeasure `id` with its evaluation and reads it. */
export async function countermeasurePanel(page: Page, id: number): Promise<CountermeasurePanelView> {
  const panel = page.locator(`[data-testid="countermeasure-panel"][data-countermeasure-id="${id}"]`);
  await panel.getByTestId('cm-verdict').waitFor({ timeout: 15_000 });
  return {
    title: (await panel.getByTestId('cm-panel-title').textContent()) ?? '',
    verdict: (await panel.getByTestId('cm-verdict').getAttribute('data-verdict')) ?? '',
    before: Number(await panel.getByTestId('cm-bar-before').getAttribute('data-incidents')),
    after: Number(await panel.getByTestId('cm-bar-after').getAttribute('data-incidents')),
    windows: await panel.locator('[data-testid^="cm-window-"]').allTextContents(),
    ratio: (await panel.getByTestId('cm-ratio').textContent()) ?? '',
  };
}

/** Cells the map draws as countermeasure outlines. */
export function outlinedCells(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__hexwatch?.outlines ?? []);
}
