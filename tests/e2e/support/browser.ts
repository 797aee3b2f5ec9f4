/**
 * The only file that imports Playwright. Launches the system Chromium (Debian's /usr/bin/chromium:
 * `npx playwright install` cannot download browsers here) headless, with WebGL on Mesa's
 * software rasteriser (llvmpipe through ANGLE/EGL) so MapLibre and deck.gl can draw.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export type { Browser, BrowserContext, Page };

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  // WebGL2 without a GPU: ANGLE on EGL with Mesa llvmpipe; the blocklist would refuse it.
  '--use-angle=gl-egl',
  '--ignore-gpu-blocklist',
  // No network besides the app under test (this machine has none; the browser must not wait for it).
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Phone emulation: touch events and a mobile user agent. */
  mobile?: boolean;
  locale?: string;
  /** The browser's time zone (IANA), e.g. to show that days follow the cities' zone, not this one. */
  timezoneId?: string;
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

/**
 * A fresh context (own cookies and storage) and page. Browser console errors are collected, and
 * among them what the Content-Security-Policy refused (server/security/http.ts), which the
 * session fails every test on.
 */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  opts: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[]; cspViolations: string[] }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: opts.viewport ?? DESKTOP,
    isMobile: opts.mobile ?? false,
    hasTouch: opts.mobile ?? false,
    deviceScaleFactor: 1,
    locale: opts.locale ?? 'en-US',
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const cspViolations: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    consoleErrors.push(msg.text());
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  return { context, page, consoleErrors, cspViolations };
}
