/** The one demo metadata key (issue 20), and databases seeded before it (the server's `demo.seed`). */
import { describe, expect, it } from 'vitest';
import { readDemoMarker } from '../../../data/demo/seed.js';

const storeWith = (meta: Record<string, string>) => ({ getMeta: async (key: string) => meta[key] ?? null });

describe('readDemoMarker', () => {
  it('reads the one key', async () => {
    const value = JSON.stringify({ state: 'started', size: 'small', seed: 3, now: '2025-06-15T04:00:00.000Z' });
    expect(await readDemoMarker(storeWith({ demo: value }))).toEqual({ state: 'started', size: 'small', seed: 3, now: '2025-06-15T04:00:00.000Z' });
  });
  it('takes a marker without a state (written only at the end before issue 20) as done', async () => {
    expect(await readDemoMarker(storeWith({ demo: JSON.stringify({ size: 'default', seed: 1, now: '2025-01-01T00:00:00.000Z' }) }))).toMatchObject({ state: 'done', size: 'default' });
  });
  it('reads the legacy server key, started or done', async () => {
    expect(await readDemoMarker(storeWith({ 'demo.seed': 'started:small' }))).toMatchObject({ state: 'started', size: 'small' });
    expect(await readDemoMarker(storeWith({ 'demo.seed': 'done:large' }))).toMatchObject({ state: 'done', size: 'large' });
  });
  it('is null without a demo', async () => {
    expect(await readDemoMarker(storeWith({}))).toBeNull();
  });
});
