#!/usr/bin/env node
// `node scripts/compare-warm-cold.mjs [--python PY] [--only id1,id2] [--trees solution,mutants/x] [--seed N|random] [--help]`: every exercise's golden
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
const onlyTrees = arg('--trees')?.split(','); // e.g. solution,mutants/no-samesite
const pluginDir = path.join(root, 'python');
// One string hash seed for every run, cold and warm (the worker is started with it too): an app
// that sends a set's items as a list sends them in hash order, which changes with the seed from
// one cold run to the next as well. (What the plugin itself shows does not depend on it: sets are
// shown sorted.) `--seed random`: each cold run has its own seed, the warm runs the worker's.
const seed = arg('--seed') ?? '0';
if (seed === 'random') delete process.env.PYTHONHASHSEED;
else process.env.PYTHONHASHSEED = seed;
if (!warmSupported()) {
  console.log('warm runs need Linux: nothing to compare');
  process.exit(0);
}

/**
 * What differs between any two runs of the same code, cold or warm, and only that: each is
 * replaced by a placeholder before comparing. Everything else the learner is told must be equal.
 * (Set order is not here: the plugin shows sets sorted, helpers.stable_repr; and the string hash
 * seed of the learner's own code is the same for both, PYTHONHASHSEED above.)
 */
const NONDETERMINISTIC = [
  ['the run folder, a new temporary name per run', /flask-tutor-run-[A-Za-z0-9]+/g, 'flask-tutor-run-X'],
  ['the port of a server a check starts on 127.0.0.1 (the system picks a free one: a webhook receiver)', /127\.0\.0\.1:\d+/g, '127.0.0.1:<port>'],
  ['memory addresses in default reprs ("<Foo object at 0x7f…>")', / at 0x[0-9a-f]+/g, ' at 0x…'],
  ['wall-clock times the app stored or sent (ISO 8601 with or without separators: 2026-12-05T17:21:34.298, 20261205T172134298278Z; HTTP dates: Sun, 05 Dec 2027 17:37:07 GMT)', /\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?|\b\d{8}T\d{6}\d*Z?|\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT/g, '<time>'],
  ['random UUIDs the app generated (uuid4())', /\b[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\b/g, '<uuid4>'],
  ['random tokens in hex the app or a check generated (uuid4().hex, secrets.token_hex(16) or (), os.urandom(16).hex(): 32 hex digits or more, also after a prefix such as sk_test_ or cut short in a message)', /(?<![0-9A-Za-z])[0-9a-f]{32,}(?![0-9A-Za-z])/g, '<hex>'],
  ['the ids the ec-payments checks\' fake provider makes from uuid4() (pi_1_acb265b9, its _secret_0be73ccb1dd4)', /\b(pi_\d+_)[0-9a-f]{8}(_secret_)?([0-9a-f]{12})?/g, '$1<id>$2'],
  ['random values the c04 checks send or the app issues: OAuth state, code, code_challenge/verifier in a URL; API keys ft_live_<8>_<secret>', /\b(state|code|code_challenge|code_verifier)=[^&"\s]+|\bft_live_[a-z0-9]{8}(?:_[A-Za-z0-9_-]+)?/g, '<oauth-or-key>'],
  ['random url-safe tokens the app issues (secrets.token_urlsafe(32): 43 characters, e.g. an OAuth access token) and the OAuth state the c04 checks send (st-<8 hex>)', /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])|\bst-[0-9a-f]{8}\b/g, '<token>'],
  ['Unix times in seconds the app stored (created_at 1796495689)', /(?<!\d)1[7-9]\d{8}(?!\d)/g, '<epoch>'],
  ['the random salt of a Werkzeug password hash (pbkdf2:sha256:260000$<salt>$…, scrypt:…$<salt>$…)', /((?:pbkdf2:sha\d+|scrypt)(?::\d+)*)\$[A-Za-z0-9]+\$/g, '$1$<salt>$'],
  ['values signed with a time by itsdangerous (Flask session cookies, Flask-WTF CSRF tokens: payload.timestamp.signature)', /\.?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])/g, '<signed>'],
  ['JSON Web Tokens the app issued, whole or cut short in a message (their iat/exp are times, their jti random)', /\beyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,2}/g, '<jwt>'],
  ['durations the app measured (a log line\'s duration_ms)', /(['"]duration_ms['"]:\s*)\d+(\.\d+)?(e-?\d+)?/g, '$1<ms>'],
  ['a duration a check measured, rounded in its message ("the checkout waited 4.0 s")', /\bwaited \d+(\.\d+)? s\b/g, 'waited <n> s'],
  ['durations a check measured, in seconds (time.monotonic() differences: floats with 9 or more decimals, 4.015923629000099)', /(?<![\d.])\d+\.\d{9,}(?![\d.])/g, '<seconds>'],
  ['a pause a check measured between two attempts, rounded in its message (p1-webhooks: "came after 0.20 s")', /\bcame after \d+(\.\d+)? s\b/g, 'came after <n> s'],
  ['a pub/sub channel a check names uniquely per run (c07-sync: cache:invalidate:checks-<12 hex>)', /\bchecks-[0-9a-f]{12}\b/g, 'checks-<hex>'],
];

if (process.argv.includes('--help')) {
  console.log('node scripts/compare-warm-cold.mjs [--python PY] [--only id1,id2] [--trees solution,mutants/x,variants/y] [--seed N|random]   (npm run compile-tests first)');
  console.log('Runs every tree cold and warm; exits 1 on any difference. Replaced before comparing:');
  for (const [what] of NONDETERMINISTIC) console.log(`  - ${what}`);
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
  let text = JSON.stringify(told);
  for (const [, pattern, replacement] of NONDETERMINISTIC) text = text.replace(pattern, replacement);
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
    if (onlyTrees && !onlyTrees.includes(name)) continue;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-warm-'));
    const appDir = path.join(tmp, exercise.id);
    fs.cpSync(source, appDir, { recursive: true, filter: (src) => !/(^|[\\/])(mutant|variant)\.json$/.test(src) });
    if (over) {
      overlay(over, appDir);
      const spec = JSON.parse(fs.readFileSync(path.join(over, 'mutant.json'), 'utf8'));
      for (const gone of spec.delete ?? []) fs.rmSync(path.join(appDir, gone), { recursive: true, force: true });
    }
    const cold = await run(exercise, appDir, false);
    let warm = await run(exercise, appDir, true);
    if (warm.start !== 'warm' && (await prewarm(python, pluginDir))) {
      // The worker was ended under us (a package installed into the interpreter meanwhile makes
      // it stale, and that run is rightly cold): once more with the new worker.
      warm = await run(exercise, appDir, true);
    }
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
    const failed = problems.length && problems[problems.length - 1].startsWith(where);
    // A difference is said at once (the whole catalogue takes an hour), and again at the end.
    process.stdout.write(failed ? `\n${problems[problems.length - 1]}\n` : '.');
  }
}
disposeWarmWorkers();
console.log(`\n${python}: ${exercises.length} exercises, ${cases} trees run cold and warm: ${problems.length} difference(s)`);
for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
