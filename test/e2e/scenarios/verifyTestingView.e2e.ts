import * as fs from 'fs';
import * as path from 'path';
import { check, E2eScenario } from '../harness';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const TITLE = 'Your first Flask app';

/**
 * The verify loop in the real Testing view: a learner clicks Run on their started exercise and
 * sees red checks with a message; they fix app.py and run again: green.
 */
export const scenario: E2eScenario = {
  name: 'verify-testing-view',
  fixture: 'e2e-verify',
  timeoutSeconds: 240,
  async run({ page, workbench, workspace, screenshot }) {
    await workbench.waitForReady();
    await workbench.runCommand('Testing: Focus on Test Explorer View');
    const tree = page.locator('.test-explorer');
    const exercise = tree.locator('.monaco-list-row', { hasText: TITLE }).first();
    await exercise.waitFor({ timeout: 60_000 });

    const runExercise = async () => {
      await exercise.hover();
      await exercise.locator('.action-label[aria-label^="Verify exercise"], .action-label[aria-label^="Run Test"]').first().click();
    };
    await runExercise();
    // The exercise row turns red once its checks have failed.
    await exercise.locator('.codicon-testing-failed-icon').waitFor({ timeout: 90_000 });
    // Expand it to show each check's verdict.
    if ((await exercise.getAttribute('aria-expanded')) === 'false') await exercise.click();
    await tree.locator('.monaco-list-row', { hasText: 'GET / answers with status 200' }).locator('.codicon-testing-failed-icon').waitFor({ timeout: 30_000 });
    await screenshot('red');

    // Open the failure message of the first check (the test peek) as a learner would by clicking it.
    const failedCheck = tree.locator('.monaco-list-row', { hasText: 'GET / answers with status 200' }).first();
    await failedCheck.dblclick();
    await page.locator('.test-output-peek, .peekview-widget').first().waitFor({ timeout: 30_000 }).catch(() => undefined);
    await screenshot('failure-message');
    await page.keyboard.press('Escape');

    // The learner fixes app.py (here: the reference solution), saves, and verifies again.
    const app = path.join(workspace, 'f1-first-app', 'app.py');
    fs.copyFileSync(path.join(REPO, 'exercises', 'f1', 'first-app', 'solution', 'app.py'), app);
    await runExercise();
    await exercise.locator('.codicon-testing-passed-icon').waitFor({ timeout: 90_000 });
    const passedRows = await tree.locator('.monaco-list-row .codicon-testing-passed-icon').count();
    check(passedRows >= 5, `expected the exercise and its 4 checks green, saw ${passedRows} green rows`);
    await screenshot('green');
  },
};
