/** scripts/check-system.mjs (npm test's pretest): a missing tool stops with the one apt-get command. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/check-system.mjs');
const run = (env: Record<string, string>) => spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('check-system', () => {
  it('names what is missing and the one apt-get command, and fails, without installing', () => {
    const r = run({ CHROMIUM_PATH: '/nonexistent/chromium', HEXWATCH_SYSTEM_CHECK_NO_INSTALL: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the tests need Chromium/);
    expect(r.stderr).toMatch(/apt-get install -y --no-install-recommends [^\n]*\bchromium\b/);
    expect(r.stderr.match(/apt-get install/g)).toHaveLength(1);
  });
  it('is skipped with HEXWATCH_SKIP_SYSTEM_CHECK=1', () => {
    expect(run({ CHROMIUM_PATH: '/nonexistent/chromium', HEXWATCH_SKIP_SYSTEM_CHECK: '1' }).status).toBe(0);
  });
});
