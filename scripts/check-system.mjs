#!/usr/bin/env node
/**
 * `npm test`'s pretest: what npm cannot install but the tests need. Chromium (browser tests),
 * Mesa's EGL (Chromium's WebGL for the map), CJK fonts (Chinese text in screenshots) and
 * PostgreSQL's server binaries (the storage contract runs on both engines), and the Citus test
 * tool when the shared tools are beside the checkout.
 *
 * All there: silent, exit 0. Missing, as root on Debian (apt-get present): installs them, as
 * .ci/run did. Missing otherwise: prints the one `apt-get install` command to run and exits 1.
 * HEXWATCH_SKIP_SYSTEM_CHECK=1 skips the check (e.g. a machine set up another way);
 * HEXWATCH_SYSTEM_CHECK_NO_INSTALL=1 never installs, only says what to run (also as root).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

if (process.env.HEXWATCH_SKIP_SYSTEM_CHECK === '1') process.exit(0);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function hasPostgresServer() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base) && readdirSync(base).some((v) => existsSync(`${base}/${v}/bin/initdb`) && existsSync(`${base}/${v}/bin/pg_ctl`))) return true;
  return spawnSync('sh', ['-c', 'command -v initdb && command -v pg_ctl'], { stdio: 'ignore' }).status === 0;
}

function hasCjkFont() {
  const r = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

function hasMesaEgl() {
  const r = spawnSync('sh', ['-c', 'ldconfig -p 2>/dev/null || /sbin/ldconfig -p'], { encoding: 'utf8' });
  return /libEGL_mesa\.so/.test(r.stdout ?? '');
}

/** [what, Debian packages, present?] */
const checks = [
  ['Chromium', ['chromium'], () => existsSync(CHROMIUM)],
  ["Mesa's EGL", ['libegl1', 'libegl-mesa0', 'libgl1-mesa-dri'], () => hasMesaEgl() || ['libegl1', 'libegl-mesa0', 'libgl1-mesa-dri'].every(dpkgInstalled)],
  ['CJK fonts', ['fonts-noto-cjk'], hasCjkFont],
  ['PostgreSQL server binaries', ['postgresql'], hasPostgresServer],
];

/**
 * The Citus test tool (../shared/tools/citus, when the checkout sits beside it): the storage suites
 * run a third time on a Citus cluster. Its build needs PostgreSQL 15.20 or later. As root it is
 * installed (upgrading postgresql-15 first when older); otherwise the command is printed and the
 * tests say "citus SKIPPED". No tool folder: nothing to do.
 */
function ensureCitus(isRoot) {
  const tool = new URL('../../shared/tools/citus/install.sh', import.meta.url).pathname;
  if (!existsSync(tool)) return;
  const installed = spawnSync('sh', ['-c', 'ls /usr/share/postgresql/*/extension/citus.control'], { stdio: 'ignore' }).status === 0;
  if (installed) return;
  if (!isRoot || process.env.HEXWATCH_SYSTEM_CHECK_NO_INSTALL === '1') {
    console.warn(`check-system: the Citus test tool is not installed; the tests will skip Citus. Install it with:\n\n  sudo bash ${tool}\n`);
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const version = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'postgresql-15'], { encoding: 'utf8' });
  const old = version.status === 0 && spawnSync('dpkg', ['--compare-versions', version.stdout.trim(), 'lt', '15.20'], { stdio: 'ignore' }).status === 0;
  if (old) {
    console.log(`check-system: upgrading postgresql-15 ${version.stdout.trim()} for Citus`);
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', '--only-upgrade', 'postgresql-15'], { stdio: 'inherit', env });
  }
  console.log('check-system: installing the Citus test tool');
  execFileSync('bash', [tool], { stdio: 'inherit', env });
}

const missing = checks.filter(([, , present]) => !present());
if (!missing.length) {
  ensureCitus(typeof process.getuid === 'function' && process.getuid() === 0);
  process.exit(0);
}

const packages = [...new Set(missing.flatMap(([, pkgs]) => pkgs))];
const what = missing.map(([name]) => name).join(', ');
const command = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;

if (isRoot && hasApt && process.env.HEXWATCH_SYSTEM_CHECK_NO_INSTALL !== '1') {
  console.log(`check-system: missing ${what}; installing ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
  const still = checks.filter(([, , present]) => !present()).map(([name]) => name);
  if (still.length) {
    console.error(`check-system: still missing after apt-get: ${still.join(', ')}`);
    process.exit(1);
  }
  ensureCitus(true);
  process.exit(0);
}

console.error(
  `check-system: the tests need ${what}, which npm cannot install.\n` +
    `Run (Debian/Ubuntu):\n\n  ${isRoot ? '' : 'sudo '}${command}\n\n` +
    `(CHROMIUM_PATH points at another Chromium; HEXWATCH_SKIP_SYSTEM_CHECK=1 skips this check.)`,
);
process.exit(1);
