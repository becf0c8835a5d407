#!/usr/bin/env node
// `npm test`: every tier, in order, each streamed to the terminal. Ends with one line
// `N passed, N failed` summing the tiers' own counts (a step without counts — typecheck,
// lint, build — counts as one). Exit code is non-zero when anything failed.
//   node scripts/test-all.mjs                 everything
//   node scripts/test-all.mjs --only unit,python   some steps (names below; `python` = both environments)
//   node scripts/test-all.mjs --skip e2e      all but some
// First of all it brings the checkout to a runnable state (scripts/setup.mjs: system packages,
// npm dependencies, the "current" Python environment), quickly when nothing changed.
// The Python tier and the content check run on both Python environments (scripts/python-env.mjs):
// `floor` (Debian's /usr/bin/python3) and `current` (python/requirements/current.lock), each block
// headed by its versions; the other tiers use the floor interpreter.
import { spawn } from 'node:child_process';
import { describe, pythonOf, versionsLine } from './python-env.mjs';
import { setup } from './setup.mjs';

setup('test');

const python = process.env.FLASK_TUTOR_PYTHON || pythonOf('floor');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const onBoth = (name, makeArgs) =>
  ['floor', 'current'].map((env) => {
    const [command, args] = makeArgs(pythonOf(env));
    return [`${name}:${env}`, command, args, { env }];
  });

/** Exercises whose runs scripts/compare-warm-cold.mjs compares cold and warm in every test run. */
const WARM_SAMPLE = 'f4-csrf-form,c01-logging,c04-permissions,c06-reports,c07-tags,c08-event-bus,c09-range-download,c10-fuzzy';

/** [name, command, args, options?] in the order they run; fast and cheap first. */
const steps = [
  ['typecheck', npm, ['run', '-s', 'typecheck']],
  ['lint', npm, ['run', '-s', 'lint']],
  ['cycles', 'node', ['scripts/check-cycles.mjs']],
  // Build the bundle and compile the tests once; the tiers below use both.
  ['build', npm, ['run', '-s', 'build']],
  ['compile', npm, ['run', '-s', 'compile-tests']],
  ['unit', 'npx', ['mocha', '--config', '.mocharc.unit.json']],
  ...onBoth('python', (py) => [py, ['-m', 'pytest', 'python/tests', '-q', '-p', 'no:cacheprovider']]),
  ...onBoth('engine', () => ['npx', ['mocha', '--config', '.mocharc.engine.json']]),
  ['snippets', npm, ['run', '-s', 'check:snippets']],
  ['walkthroughs', npm, ['run', '-s', 'check:walkthroughs']],
  ['svg-layout', 'node', ['scripts/check-svg-layout.mjs']],
  ['l10n', npm, ['run', '-s', 'check:l10n']],
  ...onBoth('content', (py) => [npm, ['run', '-s', 'check:content', '--', '--python', py]]),
  // Warm verify gives what a cold one gives: a sample of chapters (golden path, mutants and
  // variants, cold then warm; about a minute each). The whole catalogue: compare-warm-cold.mjs
  // without --only (about an hour per Python).
  ...onBoth('warm', (py) => ['node', ['scripts/compare-warm-cold.mjs', '--python', py, '--only', WARM_SAMPLE]]),
  ['demos', 'node', ['scripts/check-demos.mjs']],
  ['launcher', 'node', ['scripts/test-launcher-proof.mjs']],
  ['integration', 'node', ['scripts/run-integration.mjs']],
  ['package', npm, ['run', '-s', 'package']],
  ['e2e', 'node', ['scripts/run-e2e.mjs']],
  ['setup', 'node', ['scripts/test-setup.mjs']],
];

const arg = (flag) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1].split(',') : undefined;
};
const only = arg('--only');
const skip = arg('--skip') ?? [];
const picked = (list, name) => list.includes(name) || list.includes(name.split(':')[0]);
const selected = steps.filter(([name]) => (!only || picked(only, name)) && !picked(skip, name));

// Lines tiers print: pytest's `3 passed, 1 failed in 0.5s`, mocha's `12 passing` / `2 failing`,
// and our own `tier: N passed, N failed`.
function countsOf(output) {
  const lines = output.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].replace(/\x1b\[[0-9;]*m/g, '');
    const ours = /^(?:[\w-]+:\s*)?(\d+) passed, (\d+) failed/.exec(line.trim());
    if (ours) return { passed: +ours[1], failed: +ours[2] };
    const pytest = /=+ (.*) in [\d.]+s/.exec(line);
    if (pytest || /^\d+ (passed|failed|error)/.test(line.trim())) {
      const text = pytest ? pytest[1] : line;
      const n = (word) => +(new RegExp(`(\\d+) ${word}`).exec(text)?.[1] ?? 0);
      return { passed: n('passed'), failed: n('failed') + n('errors?') };
    }
  }
  const passing = /(\d+) passing/.exec(output);
  if (passing) return { passed: +passing[1], failed: +(/(\d+) failing/.exec(output)?.[1] ?? 0) };
  return undefined;
}

function run([name, command, args, options = {}]) {
  return new Promise((resolve) => {
    const started = Date.now();
    const stepPython = options.env ? pythonOf(options.env) : python;
    console.log(`\n━━━ ${name}: ${command} ${args.join(' ')}`);
    if (options.env) console.log(`━━━ Python environment "${options.env}": ${stepPython}\n━━━ ${versionsLine(describe(stepPython))}`);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FLASK_TUTOR_PYTHON: stepPython } });
    let output = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      output = (output + d).slice(-200000);
    });
    child.stderr.on('data', (d) => {
      process.stderr.write(d);
      output = (output + d).slice(-200000);
    });
    child.on('error', (error) => resolve({ name, code: 127, counts: undefined, seconds: 0, error }));
    child.on('close', (code) => resolve({ name, code: code ?? 1, counts: countsOf(output), seconds: (Date.now() - started) / 1000 }));
  });
}

const results = [];
for (const step of selected) results.push(await run(step));

let passed = 0;
let failed = 0;
console.log('\n━━━ summary');
for (const r of results) {
  const ok = r.code === 0;
  let c = r.counts ?? { passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
  if (!ok && c.failed === 0) c = { ...c, failed: 1 }; // a red step with no failed count still fails
  passed += c.passed;
  failed += c.failed;
  console.log(`${ok ? '✔' : '✘'} ${r.name.padEnd(16)} ${String(c.passed).padStart(4)} passed ${String(c.failed).padStart(3)} failed  ${r.seconds.toFixed(1)} s${ok ? '' : `  (exit ${r.code})`}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
