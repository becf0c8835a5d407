/**
 * Desktop launcher for contributors who can download VS Code (not possible on the CI machines,
 * which run scripts/run-integration.mjs on code-server instead). Same test entry (index.js),
 * same scenarios and fixture workspaces:
 *
 *   npm run build && npm run compile-tests && node out/test/integration/runTestElectron.js [scenario…]
 *
 * FLASK_TUTOR_TEST_GREP and FLASK_TUTOR_TEST_FAIL=1 work as with the code-server launcher.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { copyFixture, includeProofFromEnv, listScenarios, repoRoot, SCENARIO_ENV } from './scenarios';

async function main(): Promise<number> {
  const scenarios = listScenarios({ only: process.argv.slice(2), includeProof: includeProofFromEnv() });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-electron-'));
  let failed = 0;
  try {
    for (const scenario of scenarios) {
      console.log(`\n=== scenario "${scenario.name}" (${scenario.trusted ? 'trusted' : 'Restricted Mode'})`);
      const workspace = copyFixture(scenario.name, tmp);
      try {
        await runTests({
          extensionDevelopmentPath: repoRoot,
          extensionTestsPath: path.join(__dirname, 'index.js'),
          extensionTestsEnv: { [SCENARIO_ENV]: scenario.name },
          launchArgs: [
            workspace,
            '--disable-extensions',
            '--skip-welcome',
            '--skip-release-notes',
            '--user-data-dir',
            path.join(tmp, `user-data-${scenario.name}`),
            ...(scenario.trusted ? ['--disable-workspace-trust'] : []),
          ],
        });
      } catch (error) {
        console.error(`scenario "${scenario.name}" failed: ${error instanceof Error ? error.message : String(error)}`);
        failed++;
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`\nintegration (desktop): ${scenarios.length - failed} scenario(s) passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
