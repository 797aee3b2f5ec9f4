/** The browser's copy of the server clock (client/lib/clock.ts). */
import { afterEach, describe, expect, it } from 'vitest';
import { appNow, syncServerNow } from '../../../../client/lib/clock.js';

describe('appNow', () => {
  afterEach(() => syncServerNow(new Date().toISOString(), Date.now()));

  it("counts forward from the server's instant, the same however often the same answer is adopted", () => {
    const receivedAt = Date.now() - 60_000; // the answer arrived a minute ago
    syncServerNow('2026-06-15T04:00:00Z', receivedAt);
    const first = appNow().getTime() - Date.parse('2026-06-15T04:01:00Z');
    syncServerNow('2026-06-15T04:00:00Z', receivedAt);
    const again = appNow().getTime() - Date.parse('2026-06-15T04:01:00Z');
    expect(Math.abs(first)).toBeLessThan(1000);
    expect(Math.abs(again)).toBeLessThan(1000);
  });

  it('ignores an answer that is not an instant', () => {
    syncServerNow('2026-06-15T04:00:00Z', Date.now());
    syncServerNow('not a time', Date.now());
    expect(Math.abs(appNow().getTime() - Date.parse('2026-06-15T04:00:00Z'))).toBeLessThan(1000);
  });
});
