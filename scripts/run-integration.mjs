// Integration tier: runs test/integration/** inside a real VS Code extension host (code-server,
// headless Chromium), one fixture workspace per scenario (see test/integration/scenarios.ts).
//
//   npm run test:integration                 builds, compiles the tests, runs every scenario
//   node scripts/run-integration.mjs [name…] runs the named scenarios only; builds nothing:
//                                            needs `npm run build && npm run compile-tests` first
// Environment: FLASK_TUTOR_TEST_GREP=<text>  only tests whose full title contains <text>
//              FLASK_TUTOR_TEST_FAIL=1       also run test/integration/proof/ (fails on purpose)
//              FLASK_TUTOR_SCENARIO_TIMEOUT  seconds per scenario (default 300)
//              FLASK_TUTOR_TEST_VERBOSE=1    print the whole window log, not just the tests' output
//              FLASK_TUTOR_SERVER_LOG=1      print code-server's own output
// Ends with `integration: N passed, N failed`; exits non-zero on any failure.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { launchBrowser, repoRoot, startServer } from './vscode-server.mjs';

const require = createRequire(import.meta.url);
const timeoutSeconds = Number(process.env.FLASK_TUTOR_SCENARIO_TIMEOUT || 300);
const indexJs = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
const scenariosJs = path.join(repoRoot, 'out', 'test', 'integration', 'scenarios.js');
const resultsDir = path.join(repoRoot, 'test-results', 'integration');
/** Workbench log lines that are expected on an offline machine and say nothing about the tests. */
const NOISE = /^\[(AgentHost|ChatModelSelection|AccountPolicyGate)|ENOTFOUND|^\[lifecycle\] Long running operations|^\s+at .*workbench\.js/;

for (const [file, how] of [
  [path.join(repoRoot, 'dist', 'extension.js'), 'npm run build'],
  [indexJs, 'npm run compile-tests'],
  [scenariosJs, 'npm run compile-tests'],
]) {
  if (!fs.existsSync(file)) {
    console.error(`integration: ${path.relative(repoRoot, file)} is missing: run \`${how}\` first (npm run test:integration does both)`);
    process.exit(2);
  }
}
const scenarios = require(scenariosJs);

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-integration-'));
process.on('exit', () => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/**
 * Runs one scenario: a code-server with the smoke-test driver, a page whose URL payload makes the
 * workbench load the extension from this repository and run index.js in the extension host.
 * @returns {Promise<{ passes: number, failures: number, exitCode: number | string }>}
 */
async function runScenario(browser, scenario) {
  const started = Date.now();
  const workspace = scenarios.copyFixture(scenario.name, tmpRoot);
  console.log(`\n=== scenario "${scenario.name}" (${scenario.trusted ? 'trusted' : 'Restricted Mode'}), ${scenario.testFiles.length} test file(s)`);
  const server = await startServer({
    workspaceTrust: !scenario.trusted,
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    env: { [scenarios.SCENARIO_ENV]: scenario.name },
  });
  const summaries = [];
  let context;
  try {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    let onExit;
    const exited = new Promise((resolve) => (onExit = resolve));
    // The window's log, forwarded by the smoke-test driver as printf-style pieces. It carries
    // the extension host's console (mocha's output) and the workbench's own chatter: print what
    // comes between the suite's start line and its summary (minus known noise), keep the rest
    // for a failure diagnosis. FLASK_TUTOR_TEST_VERBOSE=1 prints everything.
    const verbose = process.env.FLASK_TUTOR_TEST_VERBOSE === '1';
    let inSuite = false;
    const background = [];
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      for (const line of text.split('\n')) {
        if (line.startsWith(scenarios.SUMMARY_PREFIX)) {
          summaries.push(JSON.parse(line.slice(scenarios.SUMMARY_PREFIX.length)));
          inSuite = false;
          continue;
        }
        if (line.startsWith(scenarios.START_PREFIX)) inSuite = true;
        if (verbose || (inSuite && !NOISE.test(line))) (type === 'error' ? console.error : console.log)(line);
        else background.push(`[${type}] ${line}`);
      }
      background.splice(0, Math.max(0, background.length - 200));
    });
    await page.exposeFunction('codeAutomationExit', (code) => onExit(code));
    page.on('crash', () => onExit('page crashed'));

    const authority = new URL(server.url).host;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${repoRoot}`],
      ['extensionTestsPath', `vscode-remote://${authority}${indexJs}`],
      ['skipWelcome', 'true'],
    ];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);

    let timer;
    const exitCode = await Promise.race([
      exited,
      new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000))),
      server.exited.then((code) => `code-server exited (${code})`),
    ]);
    clearTimeout(timer);
    if (exitCode !== 0 && summaries.length === 0 && !verbose) {
      // The suite never reported: the window's log may say why (a test file that throws, ...).
      const lines = background.filter((l) => !NOISE.test(l.replace(/^\[\w+\] /, ''))).slice(-60);
      console.error(`--- the window's log (last ${lines.length} lines; FLASK_TUTOR_TEST_VERBOSE=1 shows all):`);
      for (const line of lines) console.error(line);
      console.error('---');
    }
    if (exitCode === 'timeout') {
      fs.mkdirSync(resultsDir, { recursive: true });
      const shot = path.join(resultsDir, `${scenario.name}-timeout.png`);
      await page.screenshot({ path: shot }).catch(() => {});
      console.error(
        `integration: scenario "${scenario.name}" did not finish within ${timeoutSeconds} s (FLASK_TUTOR_SCENARIO_TIMEOUT); ` +
          `screenshot: ${path.relative(repoRoot, shot)}; rerun with FLASK_TUTOR_SERVER_LOG=1 for code-server's output`,
      );
    }
    const passes = summaries.reduce((n, s) => n + s.passes, 0);
    let failures = summaries.reduce((n, s) => n + s.failures, 0);
    // Timeout, crash, or a failure before mocha reported: count it as a failure of the scenario.
    if (exitCode !== 0 && failures === 0) failures = 1;
    if (exitCode === 0 && summaries.length === 0) {
      console.error(`integration: scenario "${scenario.name}" exited 0 without a test summary`);
      failures += 1;
    }
    console.log(`=== scenario "${scenario.name}": ${passes} passed, ${failures} failed (exit ${exitCode}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return { passes, failures, exitCode };
  } finally {
    await context?.close().catch(() => {});
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

const only = process.argv.slice(2);
const includeProof = scenarios.includeProofFromEnv();
let selected;
try {
  selected = scenarios.listScenarios({ only, includeProof });
} catch (error) {
  console.error(`integration: ${error.message}`);
  process.exit(2);
}
if (selected.length === 0) {
  console.error('integration: no test files found under out/test/integration (did `npm run compile-tests` run?)');
  process.exit(2);
}

const started = Date.now();
let passed = 0;
let failed = 0;
const browser = await launchBrowser();
try {
  for (const scenario of selected) {
    try {
      const result = await runScenario(browser, scenario);
      passed += result.passes;
      failed += result.failures;
    } catch (error) {
      console.error(`integration: scenario "${scenario.name}" could not run: ${error.stack ?? error}`);
      failed += 1;
    }
  }
} finally {
  await browser.close().catch(() => {});
}
console.log(`\nintegration: ${passed} passed, ${failed} failed (${selected.length} scenario(s), ${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed > 0 ? 1 : 0);
