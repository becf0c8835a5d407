// Proof that the integration tier can fail: runs the launcher with FLASK_TUTOR_TEST_FAIL=1 (which
// adds test/integration/proof/fail.test.ts, a test that fails on purpose) and checks the
// launcher reports it: a non-zero exit, the failing test's title, and "N failed" with N >= 1.
// Needs `npm run build && npm run compile-tests` (npm run test:launcher does both).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './vscode-server.mjs';

const started = Date.now();
const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'run-integration.mjs'), 'basic'], {
  cwd: repoRoot,
  env: { ...process.env, FLASK_TUTOR_TEST_FAIL: '1', FLASK_TUTOR_TEST_GREP: 'launcher proof' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
for (const stream of [child.stdout, child.stderr]) {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    output += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) console.log(`  | ${line}`);
  });
  stream.on('end', () => partial && console.log(`  | ${partial}`));
}
const exitCode = await new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? signal)));
const closing = /^integration: (\d+) passed, (\d+) failed/m.exec(output);

const checks = [
  ['the launcher exits non-zero', exitCode !== 0 && exitCode !== 2, `exit ${exitCode}`],
  ['the deliberately failing test is reported', /1\) fails on purpose \(FLASK_TUTOR_TEST_FAIL=1\)/.test(output), 'title not in the output'],
  ['the closing line counts the failure', closing !== null && Number(closing[2]) >= 1, closing ? closing[0] : 'no closing line'],
];
let passed = 0;
for (const [name, ok, detail] of checks) {
  console.log(`${ok ? '✔' : '✘'} ${name}${ok ? '' : ` (${detail})`}`);
  if (ok) passed++;
}
const failed = checks.length - passed;
console.log(`launcher: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed ? 1 : 0);
