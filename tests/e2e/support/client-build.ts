/**
 * The browser tests run against the production build the server serves from dist/client.
 * Builds it (once per run) when it is missing or older than any client source.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
// CLIENT_DIR as the server and vite.config.ts read it: the build the tests' server serves
const BUILT_INDEX = join(process.env.CLIENT_DIR ? resolve(process.env.CLIENT_DIR) : join(ROOT, 'dist/client'), 'index.html');
const SOURCES = [join(ROOT, 'client'), join(ROOT, 'vite.config.ts')];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function clientBuildIsStale(): boolean {
  if (!existsSync(BUILT_INDEX)) return true;
  const built = statSync(BUILT_INDEX).mtimeMs;
  return SOURCES.some((p) => existsSync(p) && newestMtime(p) > built);
}

export function ensureClientBuild(): void {
  if (!clientBuildIsStale()) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}
