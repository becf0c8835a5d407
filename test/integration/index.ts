/**
 * Integration test entry: VS Code loads this module in the extension host (extensionTestsPath)
 * and awaits run(). Both launchers use it: scripts/run-integration.mjs (code-server, headless,
 * what CI runs) and runTestElectron.ts (desktop VS Code, for contributors).
 *
 * Environment (set by the launchers, reaches the extension host):
 *   FLASK_TUTOR_TEST_SCENARIO  which scenario's tests to run (default "basic"; see scenarios.ts)
 *   FLASK_TUTOR_TEST_GREP      only tests whose full title contains this text
 *   FLASK_TUTOR_TEST_FAIL=1    also run test/integration/proof/ (fails on purpose)
 */
import Mocha from 'mocha';
import { currentScenario, includeProofFromEnv, START_PREFIX, SUMMARY_PREFIX, Summary, testFilesFor } from './scenarios';

export async function run(): Promise<void> {
  const scenario = currentScenario();
  const files = testFilesFor(scenario, { includeProof: includeProofFromEnv() });
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: 30_000,
    grep: process.env.FLASK_TUTOR_TEST_GREP || undefined,
  });
  files.forEach((f) => mocha.addFile(f));
  console.log(`${START_PREFIX}"${scenario}": ${files.length} test file(s)`);

  const summary: Summary = { scenario, passes: 0, failures: 0, pending: 0 };
  try {
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('end', () => {
        summary.passes = runner.stats?.passes ?? 0;
        summary.failures = runner.stats?.failures ?? runner.failures;
        summary.pending = runner.stats?.pending ?? 0;
      });
    });
  } catch (error) {
    // A test file that does not load (throws at require time) fails the whole scenario.
    console.error(`[integration] could not run the tests: ${error instanceof Error ? error.stack : String(error)}`);
    summary.failures += 1;
  }
  console.log(SUMMARY_PREFIX + JSON.stringify(summary));
  if (summary.failures > 0) throw new Error(`${summary.failures} integration test(s) failed in scenario "${scenario}"`);
}
