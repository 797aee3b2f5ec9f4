import { describe, expect, test } from 'vitest';
import { basemapState, hexagonPixelShare, signInAs, waitForHexagons } from './support/driver.js';
import { useE2eSession } from './support/session.js';

// Port 9 (discard) on loopback: nothing listens, so the style request is refused at once.
const UNREACHABLE_STYLE = 'http://127.0.0.1:9/style.json';

describe('basemap fallback', { timeout: 120_000 }, () => {
  const session = useE2eSession({ BASEMAP: 'style', BASEMAP_STYLE_URL: UNREACHABLE_STYLE });

  test('an unreachable basemap falls back to the offline map, says so, and still draws the hexagons', async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-analyst');
    await page.getByTestId('basemap-fallback').waitFor({ timeout: 30_000 });
    await waitForHexagons(page, { min: 5 });
    const state = await basemapState(page);
    expect(state.basemap).toBe('offline');
    expect(state.notice).toMatch(/offline/i);
    expect(await hexagonPixelShare(page)).toBeGreaterThan(0.01);
    // The offline style's attribution is shown.
    expect(await page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('Natural Earth');
  });
});
