import { describe, expect, it } from 'vitest';
import { DEMO_SIZES, parseSeedArgs } from '../../../data/demo/seed.js';

describe('parseSeedArgs', () => {
  it('reads size, seed, now and force', () => {
    expect(parseSeedArgs(['--size', 'small', '--seed', '7', '--now', '2025-06-01T12:00:00+08:00', '--force'])).toEqual({
      size: 'small',
      seed: 7,
      now: new Date('2025-06-01T04:00:00Z'),
      force: true,
    });
  });

  it('defaults to the default size, seed 1, the current time and no force', () => {
    expect(parseSeedArgs([])).toEqual({ size: 'default', seed: 1, now: undefined, force: false });
    expect(parseSeedArgs(['--size=huge']).size).toBe('huge');
  });

  it.each([
    [['--size', 'tiny'], /--size must be one of small, default, large, huge/],
    [['--seed', 'abc'], /--seed must be an integer/],
    [['--now', 'yesterday'], /--now must be an ISO-8601 time/],
    [['--colour', 'red'], /Unknown option '--colour'/],
    [['small'], /Unexpected argument 'small'/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseSeedArgs(argv)).toThrow(message);
  });

  it('sizes the demos as the design says', () => {
    expect(DEMO_SIZES).toEqual({ small: 10_000, default: 200_000, large: 2_000_000, huge: 10_000_000 });
  });
});
