/** CLIENT_DIR (issue 20): the build the server serves, this checkout's by default whatever the working folder. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../server/env.js';

describe('CLIENT_DIR', () => {
  it('defaults to dist/client of this checkout, not of the working folder', () => {
    const root = resolve(import.meta.dirname, '../..');
    const cwd = process.cwd();
    process.chdir('/tmp');
    try {
      expect(parseEnv({}).CLIENT_DIR).toBe(resolve(root, 'dist/client'));
    } finally {
      process.chdir(cwd);
    }
  });
  it('takes a folder, made absolute', () => {
    expect(parseEnv({ CLIENT_DIR: '/srv/hexwatch/client' }).CLIENT_DIR).toBe('/srv/hexwatch/client');
    expect(parseEnv({ CLIENT_DIR: 'build/a' }).CLIENT_DIR).toBe(resolve('build/a'));
  });
});
