// E2E tier: installs the packaged flask-backend-tutor.vsix into a fresh extensions dir (as a
// user would), then runs each scenario of test/e2e/scenarios/*.e2e.ts against code-server in
// headless Chromium, with screenshots in test-results/e2e/.
//
//   npm run test:e2e                  compiles the tests, packages the .vsix, runs every scenario
//   node scripts/run-e2e.mjs [name…]  the named scenarios only; builds nothing: needs
//                                     `npm run compile-tests && npm run package` first
// Environment: FLASK_TUTOR_SERVER_LOG=1 prints code-server's output.
// Ends with `e2e: N passed, N failed`; exits non-zero on any failure.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { installVsix, launchBrowser, repoRoot, startServer } from './vscode-server.mjs';

const require = createRequire(import.meta.url);
const vsix = path.join(repoRoot, 'flask-backend-tutor.vsix');
const scenariosDir = path.join(repoRoot, 'out', 'test', 'e2e', 'scenarios');
const fixturesJs = path.join(repoRoot, 'out', 'test', 'integration', 'scenarios.js');
const harnessJs = path.join(repoRoot, 'out', 'test', 'e2e', 'harness.js');
const resultsDir = path.join(repoRoot, 'test-results', 'e2e');

for (const [file, how] of [
  [vsix, 'npm run package'],
  [harnessJs, 'npm run compile-tests'],
  [fixturesJs, 'npm run compile-tests'],
]) {
  if (!fs.existsSync(file)) {
    console.error(`e2e: ${path.relative(repoRoot, file)} is missing: run \`${how}\` first (npm run test:e2e does both)`);
    process.exit(2);
  }
}
const { Workbench } = require(harnessJs);
const fixtures = require(fixturesJs);

/** User settings for every scenario: no welcome page, tips or update checks in the way. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

function loadScenarios(only) {
  const all = fs
    .readdirSync(scenariosDir)
    .filter((f) => f.endsWith('.e2e.js'))
    .sort()
    .flatMap((f) => {
      const mod = require(path.join(scenariosDir, f));
      return mod.scenarios ?? (mod.scenario ? [mod.scenario] : []);
    });
  const unknown = only.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`);
  return only.length ? all.filter((s) => only.includes(s.name)) : all;
}

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-e2e-'));
process.on('exit', () => fs.rmSync(tmpRoot, { recursive: true, force: true }));

async function runScenario(browser, scenario, extensionsDir) {
  const started = Date.now();
  const fixture = scenario.fixture ?? fixtures.DEFAULT_SCENARIO;
  const { trusted } = fixtures.scenarioConfig(fixture);
  const dir = fs.mkdtempSync(path.join(tmpRoot, `${scenario.name}-`));
  const workspace = fixtures.copyFixture(fixture, dir);
  const userDataDir = path.join(dir, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  console.log(`\n=== e2e "${scenario.name}" (fixture ${fixture}, ${trusted ? 'trusted' : 'Restricted Mode'})`);

  const server = await startServer({ extensionsDir, userDataDir, workspaceTrust: !trusted });
  let context;
  let page;
  let shots = 0;
  const screenshot = async (step) => {
    const file = path.join(resultsDir, `${scenario.name}-${String(++shots).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file });
    console.log(`  screenshot ${path.relative(repoRoot, file)}`);
    return file;
  };
  try {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    const ctx = { page, workbench: new Workbench(page), workspace, userDataDir, screenshot, log: (m) => console.log(`  ${m}`) };
    const timeoutSeconds = scenario.timeoutSeconds ?? 120;
    let timer;
    await Promise.race([
      scenario.run(ctx),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutSeconds} s`)), timeoutSeconds * 1000))),
    ]).finally(() => clearTimeout(timer));
    console.log(`  ✔ ${scenario.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return true;
  } catch (error) {
    console.error(`  ✘ ${scenario.name}: ${error.stack ?? error}`);
    await screenshot('failure').catch(() => {});
    return false;
  } finally {
    await context?.close().catch(() => {});
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let selected;
try {
  selected = loadScenarios(process.argv.slice(2));
} catch (error) {
  console.error(`e2e: ${error.message}`);
  process.exit(2);
}
if (selected.length === 0) {
  console.error('e2e: no scenarios in out/test/e2e/scenarios (did `npm run compile-tests` run?)');
  process.exit(2);
}

const started = Date.now();
fs.rmSync(resultsDir, { recursive: true, force: true });
fs.mkdirSync(resultsDir, { recursive: true });
let passed = 0;
let failed = 0;
const extensionsDir = path.join(tmpRoot, 'extensions');
try {
  const t = Date.now();
  await installVsix(vsix, extensionsDir);
  console.log(`e2e: installed ${path.basename(vsix)} into a fresh extensions dir (${((Date.now() - t) / 1000).toFixed(1)} s)`);
} catch (error) {
  console.error(`e2e: ${error.message}\ne2e: 0 passed, 1 failed`);
  process.exit(1);
}
const browser = await launchBrowser();
try {
  for (const scenario of selected) {
    if (await runScenario(browser, scenario, extensionsDir).catch((e) => (console.error(`  ✘ ${scenario.name}: ${e.stack ?? e}`), false))) passed++;
    else failed++;
  }
} finally {
  await browser.close().catch(() => {});
}
console.log(`\ne2e: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed > 0 ? 1 : 0);
