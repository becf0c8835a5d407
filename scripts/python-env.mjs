// The two Python environments every Python-facing tier runs on (README "Python environments"):
//   floor    Debian's packages for /usr/bin/python3: the oldest versions we support
//            (Flask 2.2, SQLAlchemy 1.4, pytest 7.2). Installed by scripts/setup.mjs (apt).
//   current  a virtual environment built from the package index with the exact pins of
//            python/requirements/current.lock: what a learner installs today.
//
//   node scripts/python-env.mjs ensure          build the current environment if it is missing or stale
//   node scripts/python-env.mjs info [floor|current]   print the versions that matter
//   node scripts/python-env.mjs path floor|current     print the interpreter's path
//   node scripts/python-env.mjs lock            re-resolve current.in to the newest releases → current.lock
//
// As a module: ENVIRONMENTS, ensureCurrent(), pythonOf(name), describe(python), versionsLine(info),
// installedDistributions(python).
//
// FLASK_TUTOR_PYTHON_CACHE moves the built environment out of the clone (CI keeps it across runs);
// FLASK_TUTOR_BASE_PYTHON chooses the interpreter the venv is made from (default /usr/bin/python3,
// never whatever `python3` comes first on PATH).
// Uses Node built-ins only: scripts/setup.mjs runs it before node_modules exists.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const requirementsDir = path.join(repoRoot, 'python', 'requirements');
export const LOCK_FILE = path.join(requirementsDir, 'current.lock');
export const DIRECT_FILE = path.join(requirementsDir, 'current.in');
const isWindows = process.platform === 'win32';

export const FLOOR_PYTHON = isWindows ? 'python' : '/usr/bin/python3';
export const basePython = () => process.env.FLASK_TUTOR_BASE_PYTHON || FLOOR_PYTHON;
export const currentDir = () => path.resolve(process.env.FLASK_TUTOR_PYTHON_CACHE || path.join(repoRoot, '.cache', 'python'), 'current');
const venvPython = (dir) => path.join(dir, isWindows ? 'Scripts' : 'bin', isWindows ? 'python.exe' : 'python');

/** The environments in the order the tiers run them. */
export const ENVIRONMENTS = ['floor', 'current'];

/** The interpreter of a named environment (the current one is not built here: see ensureCurrent). */
export function pythonOf(name) {
  if (name === 'floor') return FLOOR_PYTHON;
  if (name === 'current') return venvPython(currentDir());
  throw new Error(`unknown Python environment "${name}" (floor or current)`);
}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const log = (message) => console.log(`[python-env] ${message}`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  return result;
}

function baseVersion() {
  const r = spawnSync(basePython(), ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim();
}

function pipInstall(dir, requirementArgs) {
  // --disable-pip-version-check: no chatter; the machine's pip config (index, find-links) applies.
  const r = run(venvPython(dir), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', ...requirementArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const text = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`pip install failed in ${dir}:\n${text.split('\n').filter((l) => !/is ignored: it is neither a file/.test(l)).slice(-25).join('\n')}`);
}

function makeVenv(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const r = run(basePython(), ['-m', 'venv', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    const hint = /ensurepip|venv/.test(r.stderr) ? ' (on Debian: apt-get install python3-venv)' : '';
    throw new Error(`${basePython()} -m venv ${dir} failed${hint}:\n${r.stderr.trim()}`);
  }
}

/**
 * Builds the current environment from the lock file unless the one on disk was built from the
 * same lock and base interpreter. Returns its interpreter. Quick when nothing changed (one stat,
 * one file read, one `python -c`).
 */
export function ensureCurrent({ quiet = false } = {}) {
  const dir = currentDir();
  const stampFile = path.join(dir, 'flask-tutor-env.json');
  const version = baseVersion();
  if (!version) throw new Error(`${basePython()} does not run: the current environment is built from it (set FLASK_TUTOR_BASE_PYTHON to another Python 3.8+)`);
  const want = { lock: sha256(fs.readFileSync(LOCK_FILE, 'utf8')), base: basePython(), baseVersion: version };
  let have;
  try {
    have = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  } catch {
    have = undefined;
  }
  const python = venvPython(dir);
  if (have && have.lock === want.lock && have.base === want.base && have.baseVersion === want.baseVersion && fs.existsSync(python)) {
    if (!quiet) log(`current environment up to date (${path.relative(repoRoot, dir) || dir})`);
    return python;
  }
  const started = Date.now();
  log(`building the current environment in ${dir} from ${path.relative(repoRoot, LOCK_FILE)} (Python ${version}) …`);
  makeVenv(dir);
  pipInstall(dir, ['-r', LOCK_FILE]);
  const check = run(python, ['-m', 'pip', 'check', '--disable-pip-version-check'], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (check.status !== 0) throw new Error(`the current environment is inconsistent (pip check):\n${check.stdout}${check.stderr}`);
  fs.writeFileSync(stampFile, JSON.stringify({ ...want, built: new Date().toISOString() }, null, 2) + '\n');
  log(`current environment ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return python;
}

const DESCRIBE_SCRIPT = `
import json, platform, sys
try:
    from importlib.metadata import version, PackageNotFoundError
except ImportError:
    version = None
out = {"python": platform.python_version(), "executable": sys.executable}
for name in ("flask", "werkzeug", "sqlalchemy", "flask-sqlalchemy", "pytest", "marshmallow"):
    try:
        out[name] = version(name) if version else None
    except Exception:
        out[name] = None
print(json.dumps(out))
`;

/** The versions that matter of an interpreter, or undefined when it does not run. */
export function describe(python) {
  const r = spawnSync(python, ['-c', DESCRIBE_SCRIPT], { encoding: 'utf8', timeout: 30000 });
  if (r.error || r.status !== 0) return undefined;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return undefined;
  }
}

/** "Python 3.11.2 · Flask 2.2.2 · Werkzeug 2.2.2 · …" */
export function versionsLine(info) {
  if (!info) return 'does not run';
  const names = [
    ['flask', 'Flask'],
    ['werkzeug', 'Werkzeug'],
    ['sqlalchemy', 'SQLAlchemy'],
    ['flask-sqlalchemy', 'Flask-SQLAlchemy'],
    ['pytest', 'pytest'],
    ['marshmallow', 'marshmallow'],
  ];
  return [`Python ${info.python}`, ...names.map(([key, label]) => `${label} ${info[key] ?? '(missing)'}`)].join(' · ');
}

const DISTRIBUTIONS_SCRIPT = `
import json
from importlib.metadata import distributions
print(json.dumps({d.metadata["Name"]: d.version for d in distributions() if d.metadata["Name"]}))
`;

/** name → version of every distribution the interpreter sees (names as their metadata spells them). */
export function installedDistributions(python) {
  const r = spawnSync(python, ['-c', DISTRIBUTIONS_SCRIPT], { encoding: 'utf8', timeout: 30000 });
  if (r.error || r.status !== 0) return undefined;
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** Resolves current.in to the newest releases in a scratch venv and writes current.lock. */
export function lock() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-lock-'));
  try {
    log(`resolving ${path.relative(repoRoot, DIRECT_FILE)} in a scratch environment …`);
    makeVenv(dir);
    pipInstall(dir, ['--upgrade', '-r', DIRECT_FILE]);
    const frozen = run(venvPython(dir), ['-m', 'pip', 'freeze', '--disable-pip-version-check', '--all', '--exclude', 'pip', '--exclude', 'setuptools', '--exclude', 'wheel']);
    if (frozen.status !== 0) throw new Error(`pip freeze failed: ${frozen.stderr}`);
    const header = [
      `# Generated by \`npm run python:lock\` (scripts/python-env.mjs lock) from current.in on ${new Date().toISOString().slice(0, 10)}`,
      `# with Python ${baseVersion()}. Exact pins of what a learner gets from the package index; do not edit by hand.`,
    ];
    fs.writeFileSync(LOCK_FILE, `${header.join('\n')}\n${frozen.stdout.trim()}\n`);
    log(`wrote ${path.relative(repoRoot, LOCK_FILE)}: ${frozen.stdout.trim().split('\n').length} pins`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command = 'ensure', name] = process.argv.slice(2);
  try {
    if (command === 'ensure') ensureCurrent();
    else if (command === 'lock') lock();
    else if (command === 'path') console.log(pythonOf(name ?? 'current'));
    else if (command === 'info') {
      for (const env of name ? [name] : ENVIRONMENTS) console.log(`${env.padEnd(8)} ${pythonOf(env)}\n         ${versionsLine(describe(pythonOf(env)))}`);
    } else {
      console.error(`python-env: unknown command "${command}" (ensure, info, path, lock)`);
      process.exit(2);
    }
  } catch (error) {
    console.error(`python-env: ${error.message}`);
    process.exit(1);
  }
}
