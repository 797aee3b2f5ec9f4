import { describe, expect, test } from 'vitest';
import { demoUserNames, headingText, openApp, signInAs, signOut, switchLanguage } from './support/driver.js';
import { useE2eSession } from './support/session.js';

describe('sign-in', { timeout: 120_000 }, () => {
  const session = useE2eSession();

  test('the app shell loads and the sign-in screen lists the demo users', async () => {
    const { page, consoleErrors } = await session.newPage();
    await openApp(page);
    const names = await demoUserNames(page);
    expect(names.length).toBeGreaterThan(1);
    expect(consoleErrors).toEqual([]);
  });

  test('a Chinese browser gets the Chinese UI, and the toggle switches it to English', async () => {
    const { page } = await session.newPage({ locale: 'zh-CN' });
    await openApp(page);
    expect(await headingText(page)).toContain('骑行风险地图');
    await switchLanguage(page);
    expect(await headingText(page)).toBe('Hexwatch');
  });

  test('signing out returns to the sign-in screen', async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-analyst');
    await signOut(page);
    expect((await demoUserNames(page)).length).toBeGreaterThan(1);
  });
});
