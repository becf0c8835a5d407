#!/usr/bin/env node
// `npm test`: every tier, in order, each streamed to the terminal. Ends with one line
// `N passed, N failed` summing the tiers' own counts (a step without counts — typecheck,
// lint, build — counts as one). Exit code is non-zero when anything failed.
//   node scripts/test-all.mjs                 everything
//   node scripts/test-all.mjs --only unit,python   some steps (names below)
//   node scripts/test-all.mjs --skip e2e      all but some
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const python = process.env.FLASK_TUTOR_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** [name, command, args] in the order they run; fast and cheap first. */
const steps = [
  ['typecheck', npm, ['run', '-s', 'typecheck']],
  ['lint', npm, ['run', '-s', 'lint']],
  // Build the bundle and compile the tests once; the tiers below use both.
  ['build', npm, ['run', '-s', 'build']],
  ['compile', npm, ['run', '-s', 'compile-tests']],
  ['unit', 'npx', ['mocha', '--config', '.mocharc.unit.json']],
  ['python', python, ['-m', 'pytest', 'python/tests', '-q', '-p', 'no:cacheprovider']],
  ['engine', 'npx', ['mocha', '--config', '.mocharc.engine.json']],
  ['snippets', npm, ['run', '-s', 'check:snippets']],
  ['walkthroughs', npm, ['run', '-s', 'check:walkthroughs']],
  ['l10n', npm, ['run', '-s', 'check:l10n']],
  ['content', npm, ['run', '-s', 'check:content']],
  ['launcher', 'node', ['scripts/test-launcher-proof.mjs']],
  ['integration', 'node', ['scripts/run-integration.mjs']],
  ['package', npm, ['run', '-s', 'package']],
  ['e2e', 'node', ['scripts/run-e2e.mjs']],
];

const arg = (flag) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1].split(',') : undefined;
};
const only = arg('--only');
const skip = arg('--skip') ?? [];
const selected = steps.filter(([name]) => (!only || only.includes(name)) && !skip.includes(name));

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

function run([name, command, args]) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n━━━ ${name}: ${command} ${args.join(' ')}`);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FLASK_TUTOR_PYTHON: python } });
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
  console.log(`${ok ? '✔' : '✘'} ${r.name.padEnd(12)} ${String(c.passed).padStart(4)} passed ${String(c.failed).padStart(3)} failed  ${r.seconds.toFixed(1)} s${ok ? '' : `  (exit ${r.code})`}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
