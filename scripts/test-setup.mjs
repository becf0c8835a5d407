// The set-up path a new user takes, tested for real (a step of `npm test`):
//   1. a fresh clone of this repository (HEAD) into a temporary folder, without node_modules:
//      `npm start -- --port <free>` must install what it needs, reach "serving at http://127.0.0.1:PORT",
//      answer an HTTP request with VS Code's page, and stop cleanly on SIGINT (VS Code is reused
//      from this checkout's cache through FLASK_TUTOR_VSCODE_CACHE, so only npm ci + packaging run);
//   2. a missing system package, as a non-root user: setup stops at once (no npm ci, no VS Code)
//      with the one exact command to run and no stack trace.
// Prints `setup: N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDir, repoRoot } from './vscode-server.mjs';

const results = [];
const record = (name, ok, detail = '') => {
  results.push(ok);
  console.log(`${ok ? '  ✔' : '  ✘'} ${name}${detail ? `: ${detail}` : ''}`);
};

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function freshCloneServes() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-clone-'));
  const clone = path.join(dir, 'repo');
  let child;
  try {
    const cloned = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', repoRoot, clone], { encoding: 'utf8' });
    if (cloned.status !== 0) return record('fresh clone: npm start serves VS Code', false, `git clone failed: ${cloned.stderr}`);
    if (fs.existsSync(path.join(clone, 'node_modules'))) return record('fresh clone has no node_modules', false);
    const port = await freePort();
    const started = Date.now();
    child = spawn('npm', ['start', '--', '--port', String(port)], {
      cwd: clone,
      // The VS Code cache is reused (its documented setting); everything else comes from the clone.
      env: { ...process.env, FLASK_TUTOR_VSCODE_CACHE: cacheDir, npm_config_loglevel: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const serving = new Promise((resolve) => {
      const onData = (d) => {
        output += d;
        const m = /serving at (http:\/\/127\.0\.0\.1:(\d+))\//.exec(output);
        if (m) resolve(m[1]);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', () => resolve(undefined));
      setTimeout(() => resolve(undefined), 10 * 60_000);
    });
    const url = await serving;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (!url) return record('fresh clone: npm start serves VS Code', false, `no "serving at" line after ${seconds} s. Output:\n${output.slice(-3000)}`);
    record('fresh clone: npm start installs its npm dependencies', /npm ci/.test(output) && fs.existsSync(path.join(clone, 'node_modules', '.bin')));
    record('fresh clone: npm start serves on the port asked for', url.endsWith(`:${port}`), url);
    const response = await fetch(`${url}/`);
    const page = await response.text();
    record('fresh clone: VS Code answers HTTP', response.ok && /<html/i.test(page) && /workbench/i.test(page), `HTTP ${response.status}, ${page.length} bytes after ${seconds} s`);
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    process.kill(-child.pid, 'SIGINT');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 30_000))]);
    // Ctrl+C reaches the whole foreground group: npm itself ends by the signal, our script says it stopped.
    record('fresh clone: npm start stops cleanly on Ctrl+C', (code === 0 || code === 'SIGINT') && /start: stopped/.test(output), `exit ${code}`);
    const left = spawnSync('pgrep', ['-f', clone], { encoding: 'utf8' }).stdout.trim();
    record('fresh clone: nothing left running after Ctrl+C', left === '', left);
    child = undefined;
  } finally {
    if (child) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

function missingPackageStopsAtOnce() {
  // Run as an unprivileged user; the package name cannot exist, so it is always missing.
  const canDrop = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;
  const prefix = canDrop ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [process.execPath];
  if (!canDrop && process.getuid?.() === 0) return record('missing system package (non-root)', false, 'setpriv is missing, cannot run as a non-root user');
  const started = Date.now();
  const r = spawnSync(prefix[0], [...prefix.slice(1), path.join(repoRoot, 'scripts', 'setup.mjs'), 'start'], {
    encoding: 'utf8',
    cwd: os.tmpdir(),
    env: { ...process.env, FLASK_TUTOR_SETUP_EXTRA_PACKAGES: 'flask-tutor-no-such-package' },
    timeout: 60_000,
  });
  const text = `${r.stdout}${r.stderr}`;
  const ms = Date.now() - started;
  record('missing system package: setup stops with exit 1', r.status === 1, `exit ${r.status}`);
  record(
    'missing system package: prints the one command to run',
    text.includes('sudo apt-get update && sudo apt-get install -y --no-install-recommends flask-tutor-no-such-package'),
    text.trim().split('\n').slice(-3).join(' | '),
  );
  record('missing system package: no stack trace, no npm ci', !/\n\s+at /.test(text) && !/npm ci/.test(text), `${ms} ms`);
}

console.log('setup: the README commands on a fresh clone');
missingPackageStopsAtOnce();
await freshCloneServes();
const failed = results.filter((ok) => !ok).length;
console.log(`setup: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
