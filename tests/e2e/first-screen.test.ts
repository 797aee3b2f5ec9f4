/**
 * Issue 12, "first hexagons fast": the first `map.hexbins` request leaves before the map's code
 * (the MapLibre and deck.gl chunks) is even requested, and the map, once loaded, adopts that
 * answer: one hexbins request for the first screen, with the input the drawn map stands for.
 * On a desktop and a phone, with the camera from the stores (no view in the URL) and from a
 * shared link's view and filters.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from './support/browser.js';
import { DESKTOP, PHONE } from './support/browser.js';
import { recordHexbinRequests, signInAs, waitForHexagons } from './support/driver.js';
import { useE2eSession } from './support/session.js';

const ANALYST = 'demo-analyst';

/** Every request the page sends from now on, in order: `hexbins` for map.hexbins calls, else the path. */
function recordRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    seen.push(url.pathname.startsWith('/trpc/') && url.pathname.includes('map.hexbins') ? 'hexbins' : url.pathname);
  });
  return seen;
}

const isMapCode = (path: string) => /^\/assets\/(maplibre|deck)-[^/]*\.js$/.test(path);

describe('first screen', { timeout: 180_000 }, () => {
  const session = useE2eSession();

  for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    for (const link of ['no view (camera from the stores)', 'a shared view with filters'] as const) {
      test(`${device}, ${link}: hexbins asked for before the map code, and only once`, async () => {
        const { page } = await session.newPage({ viewport, mobile: device === 'phone' });
        await signInAs(page, ANALYST);
        await waitForHexagons(page);
        // Where the signed-in map came to rest: a shared link's view.
        const url = new URL(page.url());
        const search =
          link === 'a shared view with filters'
            ? `?lat=${url.searchParams.get('lat')}&lng=${url.searchParams.get('lng')}&z=12.4&sev=3,4&t=30`
            : '';
        // A cold load as a returning user: routing every request turns the HTTP cache off.
        await page.route('**/*', (route) => route.continue());
        const order = recordRequests(page);
        const hexbins = recordHexbinRequests(page);
        await page.goto(`/${search}`);
        const drawn = await waitForHexagons(page);
        // Settled: no camera move or late answer asks again afterwards.
        await page.waitForTimeout(1500);
        await waitForHexagons(page);

        const firstHexbins = order.indexOf('hexbins');
        const firstMapCode = order.findIndex(isMapCode);
        expect(firstHexbins, `requests in order: ${order.join(' ')}`).toBeGreaterThanOrEqual(0);
        expect(firstMapCode, `requests in order: ${order.join(' ')}`).toBeGreaterThan(firstHexbins);
        expect(hexbins, 'map.hexbins inputs sent').toHaveLength(1);
        expect(hexbins[0]!.resolution).toBe(drawn.resolution);
        if (link === 'a shared view with filters') {
          expect(hexbins[0]!.resolution).toBe(9); // zoom 12.4
          expect(hexbins[0]!.filters?.severities).toEqual([3, 4]);
        }
      });
    }
  }
});
