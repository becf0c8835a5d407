/**
 * Which integration tests run in which workspace. Shared by the test entry (index.ts, inside the
 * extension host) and the launchers (scripts/run-integration.mjs, runTestElectron.ts); plain
 * Node, no `vscode` import.
 *
 * A scenario is a fixture workspace folder `test/integration/fixtures/<name>/`. Its tests are
 * `test/integration/<name>/**\/*.test.ts`; every other test file (top level, or in a folder with
 * no fixture of that name) runs in the default scenario `basic`. An optional
 * `fixtures/<name>/scenario.json` configures the window: `{"trusted": false}` opens the
 * workspace in Restricted Mode (workspace trust enabled, folder not trusted).
 * Tests under `proof/` deliberately fail; they run (in `basic`) only with FLASK_TUTOR_TEST_FAIL=1.
 */
import * as fs from 'fs';
import * as path from 'path';

export const DEFAULT_SCENARIO = 'basic';
/** The scenario a test run is in, set by the launchers (env reaches the extension host). */
export const SCENARIO_ENV = 'FLASK_TUTOR_TEST_SCENARIO';
const PROOF_DIR = 'proof';
const CONFIG_FILE = 'scenario.json';

/** The repository root, whether this runs from test/integration/ or out/test/integration/. */
export const repoRoot = findRepoRoot(__dirname);
export const fixturesDir = path.join(repoRoot, 'test', 'integration', 'fixtures');
/** Where `npm run compile-tests` puts the compiled tests (and this module). */
export const compiledDir = path.join(repoRoot, 'out', 'test', 'integration');

export interface ScenarioConfig {
  /** false: open in Restricted Mode. Default true (trust prompt disabled). */
  trusted: boolean;
}

export interface Scenario extends ScenarioConfig {
  name: string;
  /** The fixture folder; launchers open a temporary copy of it, never the folder itself. */
  fixture: string;
  /** Compiled test files (absolute paths). */
  testFiles: string[];
}

export interface SelectOptions {
  /** Include the deliberately failing proof tests (FLASK_TUTOR_TEST_FAIL=1). */
  includeProof?: boolean;
}

function findRepoRoot(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'test', 'integration'))) return d;
    if (path.dirname(d) === d) throw new Error(`no repository root above ${dir}`);
  }
}

export function includeProofFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FLASK_TUTOR_TEST_FAIL === '1';
}

export function currentScenario(env: NodeJS.ProcessEnv = process.env): string {
  return env[SCENARIO_ENV] || DEFAULT_SCENARIO;
}

/** Names of all fixture workspaces. */
export function scenarioNames(): string[] {
  if (!fs.existsSync(fixturesDir)) return [];
  return fs
    .readdirSync(fixturesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export function scenarioConfig(name: string): ScenarioConfig {
  const file = path.join(fixturesDir, name, CONFIG_FILE);
  const config: Partial<ScenarioConfig> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  return { trusted: config.trusted !== false };
}

/** All compiled test files, each with the scenario it belongs to. */
function allTestFiles(options: SelectOptions): { file: string; scenario: string }[] {
  if (!fs.existsSync(compiledDir)) return [];
  const names = new Set(scenarioNames());
  return (fs.readdirSync(compiledDir, { recursive: true }) as string[])
    .filter((rel) => rel.endsWith('.test.js'))
    .map((rel) => {
      const top = rel.split(path.sep)[0];
      return { rel, top, file: path.join(compiledDir, rel) };
    })
    .filter(({ top, rel }) => (top === PROOF_DIR && rel !== top ? options.includeProof === true : true))
    .map(({ top, rel, file }) => ({ file, scenario: rel !== top && names.has(top) ? top : DEFAULT_SCENARIO }))
    .sort((a, b) => a.file.localeCompare(b.file));
}

export function testFilesFor(scenario: string, options: SelectOptions = {}): string[] {
  return allTestFiles(options)
    .filter((t) => t.scenario === scenario)
    .map((t) => t.file);
}

/** The scenarios that have tests (optionally only the named ones), in name order. */
export function listScenarios(options: SelectOptions & { only?: string[] } = {}): Scenario[] {
  const names = scenarioNames();
  for (const n of options.only ?? []) {
    if (!names.includes(n)) throw new Error(`unknown scenario "${n}": no folder test/integration/fixtures/${n}/`);
  }
  return names
    .filter((n) => !options.only?.length || options.only.includes(n))
    .map((name) => ({ name, fixture: path.join(fixturesDir, name), ...scenarioConfig(name), testFiles: testFilesFor(name, options) }))
    .filter((s) => s.testFiles.length > 0);
}

/**
 * Copies fixture workspace `name` to `<parentDir>/<name>` and returns that path: tests run on a
 * temporary copy and never dirty the repository. scenario.json is launcher config, not copied.
 */
export function copyFixture(name: string, parentDir: string): string {
  const fixture = path.join(fixturesDir, name);
  if (!fs.existsSync(fixture)) throw new Error(`no fixture workspace test/integration/fixtures/${name}/`);
  const target = path.join(parentDir, name);
  fs.cpSync(fixture, target, { recursive: true, filter: (src) => path.relative(fixture, src) !== CONFIG_FILE });
  return target;
}

/** The test entry logs this (plus the scenario name) before the tests start. */
export const START_PREFIX = '[integration] scenario ';
/** The line the test entry logs at the end of a run; the launchers count tests from it. */
export const SUMMARY_PREFIX = 'FLASK_TUTOR_TEST_SUMMARY ';

export interface Summary {
  scenario: string;
  passes: number;
  failures: number;
  pending: number;
}
