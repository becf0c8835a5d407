// Brings a checkout to a runnable state; `npm start` and `npm test` call it before anything else.
// Quick when nothing changed (a dpkg query, a hash of package-lock.json, a stamp of the Python env).
//
//   node scripts/setup.mjs start    what `npm start` needs
//   node scripts/setup.mjs test     what `npm test` needs (everything)
//
// In order, failing fast:
//   1. system packages (Debian): installed when running as root, otherwise the one exact
//      `sudo apt-get install …` command is printed and we stop, before any other work;
//   2. npm dependencies: `npm ci` when node_modules is missing or package-lock.json changed since
//      the last install (a stamp in node_modules/);
//   3. (test) the "current" Python environment from python/requirements/current.lock.
// VS Code itself (code-server) is installed on first use by scripts/vscode-server.mjs.
//
// Node built-ins only: this runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCurrent } from './python-env.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Debian packages by purpose. `start` needs the first group, `test` all of them. */
export const SYSTEM_PACKAGES = {
  start: [
    // code-server's postinstall compiles native modules (kerberos needs these headers; node-gyp
    // needs a compiler, make and a Python).
    'libkrb5-dev', 'g++', 'make', 'python3',
    // "Create Python Environment (.venv)" in the extension: venv + ensurepip for Debian's Python.
    'python3-venv',
  ],
  test: [
    // The browser the integration and e2e tiers drive (Playwright never downloads one).
    'chromium',
    // The "floor" Python environment: Debian's oldest supported versions, for /usr/bin/python3.
    'python3-flask', 'python3-flask-sqlalchemy', 'python3-sqlalchemy', 'python3-pytest', 'python3-pytest-cov',
    'python3-coverage', 'python3-jinja2', 'python3-flask-migrate', 'python3-flask-login', 'python3-flaskext.wtf',
    'python3-flask-cors', 'python3-jwt', 'python3-marshmallow', 'python3-flasgger',
    // C04 (authentication and security): Authlib 1.2 and Flask-Limiter 3.3 on the floor.
    'python3-authlib', 'python3-flask-limiter',
    // Part 2: C07's caches (redis-py 4.3, fakeredis 1.9 when no server answers), C09's images
    // (Pillow 9.4), outbound HTTP (requests 2.28: webhooks, payment providers).
    'python3-redis', 'python3-fakeredis', 'python3-pil', 'python3-requests',
    // C06's task queue (Celery 5.2 with kombu 5.2) and C08's RabbitMQ client (pika 1.2);
    // psycopg2, SQLAlchemy 1.4's PostgreSQL driver, for the PostgreSQL runs of P2's solutions.
    'python3-celery', 'python3-pika', 'python3-psycopg2',
  ],
};

const log = (message) => console.log(`[setup] ${message}`);
const sha256 = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Debian packages of `wanted` that are not installed; undefined when this is not a dpkg system. */
export function missingDebianPackages(wanted) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\n', ...wanted], { encoding: 'utf8' });
  if (r.error) return undefined;
  // "<name> ii " for an installed package; other states (rc, un, half-installed) are not installed.
  const installed = new Set(
    r.stdout
      .split('\n')
      .map((line) => /^(\S+) ii/.exec(line)?.[1]?.replace(/:.*$/, ''))
      .filter(Boolean),
  );
  return wanted.filter((p) => !installed.has(p));
}

function systemPackages(purpose) {
  const wanted = purpose === 'test' ? [...SYSTEM_PACKAGES.start, ...SYSTEM_PACKAGES.test] : [...SYSTEM_PACKAGES.start];
  // Only for scripts/test-setup.mjs: a package that cannot exist, to prove the early stop.
  wanted.push(...(process.env.FLASK_TUTOR_SETUP_EXTRA_PACKAGES ?? '').split(/[\s,]+/).filter(Boolean));
  const missing = missingDebianPackages(wanted);
  if (missing === undefined) {
    log(`not a Debian system (no dpkg-query): make sure the equivalents of these are installed: ${wanted.join(' ')}`);
    return;
  }
  if (!missing.length) return;
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(`[setup] missing system packages: ${missing.join(' ')}\n[setup] install them, then run this again:\n\n    sudo apt-get update && sudo ${command}\n`);
    process.exit(1);
  }
  log(`installing system packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-q'], ['install', '-y', '-q', '--no-install-recommends', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(`[setup] apt-get ${args[0]} failed (exit ${r.status ?? r.signal}); run it yourself: ${command}`);
      process.exit(1);
    }
  }
}

function npmDependencies() {
  const lockFile = path.join(repoRoot, 'package-lock.json');
  const stampFile = path.join(repoRoot, 'node_modules', '.flask-tutor-setup.json');
  const want = sha256(lockFile);
  let have;
  try {
    have = JSON.parse(fs.readFileSync(stampFile, 'utf8')).lock;
  } catch {
    have = undefined;
  }
  if (have === want && fs.existsSync(path.join(repoRoot, 'node_modules', '.bin'))) return;
  log(fs.existsSync(path.join(repoRoot, 'node_modules')) ? 'package-lock.json changed: npm ci' : 'installing npm dependencies: npm ci');
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[setup] npm ci failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  fs.writeFileSync(stampFile, JSON.stringify({ lock: want, installed: new Date().toISOString() }) + '\n');
}

export function setup(purpose) {
  if (purpose !== 'start' && purpose !== 'test') throw new Error(`setup: unknown purpose "${purpose}" (start or test)`);
  const started = Date.now();
  systemPackages(purpose);
  npmDependencies();
  if (purpose === 'test') {
    try {
      ensureCurrent({ quiet: true });
    } catch (error) {
      console.error(`[setup] ${error.message}`);
      process.exit(1);
    }
  }
  log(`ready for npm ${purpose} (${Date.now() - started} ms)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  setup(process.argv[2] ?? 'test');
}
