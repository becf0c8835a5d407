#!/usr/bin/env node
// `npm run bench:verify`: wall time of a verify (run request → run end, through the same engine
// the Test Explorer uses: src/engine/pytestRun.ts, plugin loaded, events over the socket) next
// to a bare `python -m pytest` of the same checks with a plain conftest.py, measured in this one
// process, interleaved, median of N runs (default 15; BENCH_RUNS=N). Prints the ratio; the target
// is ≤ 1.3. A ratio, not an absolute time: this machine is shared and noisy.
// Needs `npm run compile-tests` first (npm run bench:verify does it).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { runPytest } = require(path.join(root, 'out/src/engine/pytestRun.js'));
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

async function ours() {
  const t = process.hrtime.bigint();
  let passed = 0;
  const end = await runPytest({
    python,
    pluginDir: path.join(root, 'python'),
    checksDir: path.join(exercise, 'checks'),
    appDir,
    runTimeoutSec: 60,
    onEvent: (e) => e.event === 'result' && e.outcome === 'passed' && passed++,
  }).done;
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (end.reason.kind !== 'completed' || passed === 0) throw new Error(`verify failed: ${JSON.stringify(end)}`);
  return ms;
}

// Warm the OS file cache once for both.
bare();
await ours();
const a = [];
const b = [];
for (let i = 0; i < runs; i++) {
  b.push(bare());
  a.push(await ours());
}
fs.rmSync(tmp, { recursive: true, force: true });
const mo = median(a);
const mb = median(b);
console.log(`verify (engine, plugin, socket): median ${mo.toFixed(0)} ms over ${runs} runs (min ${Math.min(...a).toFixed(0)}, max ${Math.max(...a).toFixed(0)})`);
console.log(`bare python -m pytest:           median ${mb.toFixed(0)} ms over ${runs} runs (min ${Math.min(...b).toFixed(0)}, max ${Math.max(...b).toFixed(0)})`);
console.log(`ratio: ${(mo / mb).toFixed(2)} (target ≤ 1.30)`);
