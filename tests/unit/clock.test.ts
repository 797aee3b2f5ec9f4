/**
 * The server's clock (server/clock.ts) and HEXWATCH_NOW in the configuration: a fixed start that
 * advances in real time, refused in production, with a clear error for a bad value.
 */
import { describe, expect, it } from 'vitest';
import { clockStartingAt, systemClock } from '../../server/clock.js';
import { parseEnv } from '../../server/env.js';

describe('the server clock', () => {
  it('starts at the instant it is given and advances with the real clock from there', () => {
    let real = 1_800_000_000_000; // some real instant, far from the start
    const clock = clockStartingAt(new Date('2026-06-15T04:00:00Z'), () => real);
    expect(clock.now().toISOString()).toBe('2026-06-15T04:00:00.000Z');
    real += 90_000; // a minute and a half of real time later
    expect(clock.now().toISOString()).toBe('2026-06-15T04:01:30.000Z');
    expect(clock.fixedAt?.toISOString()).toBe('2026-06-15T04:00:00.000Z');
  });

  it('is the system clock when HEXWATCH_NOW is unset', () => {
    const env = parseEnv({ NODE_ENV: 'test' });
    expect(env.clock).toBe(systemClock);
    expect(env.clock.fixedAt).toBeNull();
    expect(Math.abs(env.clock.now().getTime() - Date.now())).toBeLessThan(1000);
  });

  it('reads HEXWATCH_NOW and DEMO_SEED', () => {
    const env = parseEnv({ NODE_ENV: 'test', HEXWATCH_NOW: '2026-06-15T12:00:00+08:00', DEMO_SEED: '7' });
    expect(env.clock.fixedAt?.toISOString()).toBe('2026-06-15T04:00:00.000Z');
    expect(Math.abs(env.clock.now().getTime() - Date.parse('2026-06-15T04:00:00Z'))).toBeLessThan(5000);
    expect(env.DEMO_SEED).toBe(7);
  });

  it('refuses HEXWATCH_NOW in production, and a value that is not an instant with a zone', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', AUTH_MODE: 'dev', SECRET_KEY: Buffer.alloc(32, 1).toString('base64'), HEXWATCH_NOW: '2026-06-15T04:00:00Z' })).toThrow(
      /HEXWATCH_NOW is for tests only and refused when NODE_ENV=production/,
    );
    expect(() => parseEnv({ NODE_ENV: 'test', HEXWATCH_NOW: 'yesterday' })).toThrow(/HEXWATCH_NOW must be an ISO-8601 instant with a zone/);
    expect(() => parseEnv({ NODE_ENV: 'test', HEXWATCH_NOW: '2026-06-15T04:00:00' })).toThrow(/HEXWATCH_NOW must be an ISO-8601 instant/);
    expect(() => parseEnv({ NODE_ENV: 'test', DEMO_SEED: '-1' })).toThrow(/DEMO_SEED/);
  });
});
