#!/usr/bin/env node
// `node scripts/compare-warm-cold.mjs [--python PY] [--only id1,id2]`: every exercise's golden
// path (the solution), mutants (solution + overlay) and variants, each run cold (a process per
// run) and warm (a fork of the warm worker, Linux) through the engine (src/engine/pytestRun.ts);
// what the learner is told (per check: outcome, message, expected/actual, locations, requests;
// the app event; the end reason) must be identical. Exits 1 on any difference or a warm run that
// did not run warm. Needs `npm run compile-tests` first.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { runPytest } = require(path.join(root, 'out/src/engine/pytestRun.js'));
const { prewarm, disposeWarmWorkers, warmSupported } = require(path.join(root, 'out/src/engine/warmWorker.js'));
const { loadCatalog } = require(path.join(root, 'out/src/engine/catalog.js'));

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const python = arg('--python') || process.env.FLASK_TUTOR_PYTHON || '/usr/bin/python3';
const only = arg('--only')?.split(',');
const pluginDir = path.join(root, 'python');
// One string hash seed for every run, cold and warm (the worker is started with it too): the order
// of a set shown in a message changes with the seed, from one cold run to the next as well.
process.env.PYTHONHASHSEED = '0';
if (!warmSupported()) {
  console.log('warm runs need Linux: nothing to compare');
  process.exit(0);
}

function overlay(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === 'mutant.json' || entry.name === 'variant.json') continue;
    const src = path.join(from, entry.name);
    const dest = path.join(to, entry.name);
    if (entry.isDirectory()) {
      fs.mkdirSync(dest, { recursive: true });
      overlay(src, dest);
    } else fs.copyFileSync(src, dest);
  }
}

async function run(exercise, appDir, warm) {
  const events = [];
  const end = await runPytest({
    python,
    pluginDir,
    checksDir: exercise.checksDir,
    appDir,
    appTarget: exercise.app,
    checkTimeoutSec: 10,
    runTimeoutSec: 120,
    env: { DATABASE_URL: undefined },
    warm,
    onEvent: (e) => events.push(e),
  }).done;
  const results = events
    .filter((e) => e.event === 'result')
    .map((e) => ({ nodeid: e.nodeid, outcome: e.outcome, message: e.message, expected: e.expected, actual: e.actual, location: e.location, checkLocation: e.checkLocation, requests: e.requests }));
  const app = events.find((e) => e.event === 'app');
  const told = { reason: end.reason.kind, detail: end.reason.detail, app: app && { status: app.status, code: app.code, message: app.message, location: app.location, kind: app.kind, target: app.target }, results };
  // The run folder's name, memory addresses (reprs "at 0x7f…") and the time of day (timestamps
  // the app stored) differ between any two runs, cold or warm: not a difference.
  const text = JSON.stringify(told).replace(/flask-tutor-run-[A-Za-z0-9]+/g, 'flask-tutor-run-X').replace(/ at 0x[0-9a-f]+/g, ' at 0x…').replace(/\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?/g, '<time>');
  return { start: end.start, told: JSON.parse(text) };
}

const catalog = loadCatalog(path.join(root, 'exercises'));
const exercises = catalog.exercises.filter((e) => !only || only.includes(e.id));
if (!(await prewarm(python, pluginDir))) throw new Error(`the warm worker did not start for ${python}`);
let cases = 0;
const problems = [];
for (const exercise of exercises) {
  const trees = [['solution', exercise.solutionDir, undefined]];
  for (const kind of ['mutants', 'variants']) {
    const d = path.join(exercise.dir, kind);
    if (!fs.existsSync(d)) continue;
    for (const name of fs.readdirSync(d).sort()) trees.push([`${kind}/${name}`, kind === 'variants' ? path.join(d, name) : exercise.solutionDir, kind === 'mutants' ? path.join(d, name) : undefined]);
  }
  for (const [name, source, over] of trees) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-warm-'));
    const appDir = path.join(tmp, exercise.id);
    fs.cpSync(source, appDir, { recursive: true, filter: (src) => !/(^|[\\/])(mutant|variant)\.json$/.test(src) });
    if (over) {
      overlay(over, appDir);
      const spec = JSON.parse(fs.readFileSync(path.join(over, 'mutant.json'), 'utf8'));
      for (const gone of spec.delete ?? []) fs.rmSync(path.join(appDir, gone), { recursive: true, force: true });
    }
    const cold = await run(exercise, appDir, false);
    const warm = await run(exercise, appDir, true);
    fs.rmSync(tmp, { recursive: true, force: true });
    cases++;
    const where = `${exercise.id} ${name}`;
    if (warm.start !== 'warm') problems.push(`${where}: the warm run ran ${warm.start}`);
    else if (!isDeepStrictEqual(cold.told, warm.told)) {
      // Say what differs: the end, the app event, or the first check whose result differs.
      const first = ['reason', 'detail', 'app'].find((k) => !isDeepStrictEqual(cold.told[k], warm.told[k]));
      const i = cold.told.results.findIndex((r, n) => !isDeepStrictEqual(r, warm.told.results[n]));
      const show = (t) => JSON.stringify(first ? t[first] : t.results[i] ?? t.results.length).slice(0, 1500);
      problems.push(`${where}: warm and cold differ (${first ?? `check ${i + 1}`})\n  cold: ${show(cold.told)}\n  warm: ${show(warm.told)}`);
    }
    process.stdout.write(problems.length && problems[problems.length - 1].startsWith(where) ? 'x' : '.');
  }
}
disposeWarmWorkers();
console.log(`\n${python}: ${exercises.length} exercises, ${cases} trees run cold and warm: ${problems.length} difference(s)`);
for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
