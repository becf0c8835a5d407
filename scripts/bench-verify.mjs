#!/usr/bin/env node
// `npm run bench:verify`: wall time of a verify (run request → run end, through the same engine
// the Test Explorer uses: src/engine/pytestRun.ts, plugin loaded, events over the socket), cold
// (a process per run) and warm (a fork of the warm worker, Linux), next to a bare
// `python -m pytest` of the same checks with a plain conftest.py, measured in this one process,
// interleaved, median of N runs (default 15; BENCH_RUNS=N). Prints the ratios (targets: cold
// ≤ 1.3× bare, warm ≤ 0.35× bare) and the warm worker's resident memory at rest (target ≤ 80 MB).
// Ratios, not absolute times: this machine is shared and noisy.
// Needs `npm run compile-tests` first (npm run bench:verify does it).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { runPytest } = require(path.join(root, 'out/src/engine/pytestRun.js'));
const { prewarm, warmWorkerFor, disposeWarmWorkers, warmSupported } = require(path.join(root, 'out/src/engine/warmWorker.js'));
const python = process.env.FLASK_TUTOR_PYTHON || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const runs = Number(process.env.BENCH_RUNS || 15);
const exercise = path.join(root, 'exercises/f1/first-app');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-bench-'));
const appDir = path.join(tmp, 'app');
fs.cpSync(path.join(exercise, 'solution'), appDir, { recursive: true });
// The bare baseline: the same check file next to a conftest.py with the fixtures Flask's
// testing docs show, run with the same Python.
const bareDir = path.join(tmp, 'bare');
fs.mkdirSync(bareDir);
for (const f of fs.readdirSync(path.join(exercise, 'checks'))) fs.copyFileSync(path.join(exercise, 'checks', f), path.join(bareDir, f));
fs.writeFileSync(
  path.join(bareDir, 'conftest.py'),
  [
    'import sys, pytest',
    `sys.path.insert(0, ${JSON.stringify(appDir)})`,
    'from app import create_app',
    '@pytest.fixture',
    'def app():',
    '    return create_app({"TESTING": True})',
    '@pytest.fixture',
    'def client(app):',
    '    return app.test_client()',
    '',
  ].join('\n'),
);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function bare() {
  const t = process.hrtime.bigint();
  const r = spawnSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', bareDir], {
    cwd: tmp,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`bare pytest failed:\n${r.stdout}\n${r.stderr}`);
  return ms;
}

async function ours(warm) {
  const t = process.hrtime.bigint();
  let passed = 0;
  const end = await runPytest({
    warm,
    python,
    pluginDir: path.join(root, 'python'),
    checksDir: path.join(exercise, 'checks'),
    appDir,
    runTimeoutSec: 60,
    onEvent: (e) => e.event === 'result' && e.outcome === 'passed' && passed++,
  }).done;
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (end.reason.kind !== 'completed' || passed === 0) throw new Error(`verify failed: ${JSON.stringify(end)}`);
  if (end.start !== (warm ? 'warm' : 'cold')) throw new Error(`a ${warm ? 'warm' : 'cold'} verify ran ${end.start}`);
  return ms;
}

/** Resident memory of a process in MB: RSS, and PSS (its share of pages shared with others). */
function memory(pid) {
  const kb = (file, key) => {
    try {
      const m = fs.readFileSync(`/proc/${pid}/${file}`, 'utf8').match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  };
  return { rss: kb('status', 'VmRSS'), pss: kb('smaps_rollup', 'Pss') };
}

const warmToo = warmSupported() && process.env.FLASK_TUTOR_WARM !== '0';
// Warm the OS file cache once for all, and start the worker.
bare();
await ours(false);
if (warmToo && !(await prewarm(python, path.join(root, 'python')))) throw new Error('the warm worker did not start');
if (warmToo) await ours(true);
const cold = [];
const warm = [];
const b = [];
for (let i = 0; i < runs; i++) {
  b.push(bare());
  cold.push(await ours(false));
  if (warmToo) warm.push(await ours(true));
}
let mem;
if (warmToo) {
  await new Promise((r) => setTimeout(r, 1000)); // at rest
  mem = memory(warmWorkerFor(python, path.join(root, 'python')).pid);
  disposeWarmWorkers();
}
fs.rmSync(tmp, { recursive: true, force: true });
const stats = (xs) => `median ${median(xs).toFixed(0)} ms over ${xs.length} runs (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
const mb = median(b);
console.log(`python: ${python}; exercise: ${path.relative(root, exercise)}; cold, warm and bare interleaved`);
console.log(`bare python -m pytest:          ${stats(b)}`);
console.log(`verify cold (process per run):  ${stats(cold)}`);
if (warmToo) console.log(`verify warm (fork of worker):   ${stats(warm)}`);
console.log(`ratio cold/bare: ${(median(cold) / mb).toFixed(2)} (target ≤ 1.30)`);
if (warmToo) {
  console.log(`ratio warm/bare: ${(median(warm) / mb).toFixed(2)} (target ≤ 0.35, aim 0.25); warm/cold: ${(median(warm) / median(cold)).toFixed(2)}`);
  console.log(`warm worker at rest: RSS ${mem.rss?.toFixed(1)} MB, PSS ${mem.pss?.toFixed(1) ?? '?'} MB (target ≤ 80 MB)`);
} else {
  console.log('warm: not measured (not Linux, or FLASK_TUTOR_WARM=0)');
}
