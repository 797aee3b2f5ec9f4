/** Pacing under Feishu's limits, on a fake clock: 4 a second and 90 a minute per key. */
import { describe, expect, it } from 'vitest';
import { SendPacer } from '../../../server/feishu/pacing.js';

function pacerAt(start = 1_000_000) {
  let now = start;
  const sends: number[] = [];
  const pacer = new SendPacer(
    { perSecond: 4, perMinute: 90 },
    () => now,
    async (ms) => {
      now += ms;
    },
  );
  return {
    pacer,
    sends,
    async send(key: string) {
      await pacer.take(key);
      sends.push(now);
    },
    elapsed: () => now - start,
  };
}

const maxInWindow = (times: number[], windowMs: number) =>
  Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));

describe('SendPacer', () => {
  it('lets 4 through at once, then one more every quarter second on average', async () => {
    const p = pacerAt();
    for (let k = 0; k < 12; k++) await p.send('hook-a');
    expect(p.sends.slice(0, 4).every((t) => t === p.sends[0])).toBe(true);
    expect(maxInWindow(p.sends, 1000)).toBe(4);
    expect(p.elapsed()).toBe(2200); // 12 sends: 4 now, 4 after 1.1 s, 4 after 2.2 s (100 ms margin for time in flight)
  });

  it('never sends more than 90 in a minute', async () => {
    const p = pacerAt();
    for (let k = 0; k < 100; k++) await p.send('hook-a');
    expect(maxInWindow(p.sends, 60_000)).toBe(90);
    expect(maxInWindow(p.sends, 1000)).toBeLessThanOrEqual(4);
    expect(p.sends[90]! - p.sends[0]!).toBeGreaterThanOrEqual(60_100);
  });

  it('paces each key on its own', async () => {
    const p = pacerAt();
    for (let k = 0; k < 4; k++) await p.send('hook-a');
    for (let k = 0; k < 4; k++) await p.send('hook-b');
    expect(p.elapsed()).toBe(0);
    expect(p.pacer.delayFor('hook-a', 1_000_000)).toBe(1100);
  });
});
