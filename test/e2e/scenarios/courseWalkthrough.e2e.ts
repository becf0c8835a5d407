import * as fs from 'fs';
import * as path from 'path';
import { check, E2eScenario } from '../harness';

const EXERCISE = 'f1-first-app';
const TITLE = 'Your first Flask app';
const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * A learner starts the first exercise from the Command Palette, writes a working app, verifies
 * it, and finds its step ticked in chapter F1's walkthrough; after an extension host restart
 * the status bar and the tick still show the progress.
 */
export const scenario: E2eScenario = {
  name: 'course-walkthrough',
  fixture: 'course',
  timeoutSeconds: 240,
  async run({ page, workbench, workspace, screenshot }) {
    await workbench.waitForReady();

    await workbench.runCommand('Flask Tutor: Start Exercise…');
    const item = workbench.quickInput.locator('.monaco-list-row', { hasText: TITLE }).first();
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    const folder = path.join(workspace, 'flask-tutor', EXERCISE);
    await workbench.tab('app.py').waitFor({ timeout: 30_000 });
    check(fs.existsSync(path.join(folder, '.flasktutor.json')), `no marker in ${folder}`);
    await workbench.tab(TITLE).waitFor({ timeout: 30_000 }); // the brief
    await screenshot('started');

    // The learner's work: the reference solution's app.
    fs.copyFileSync(path.join(REPO, 'exercises', 'f1', 'first-app', 'solution', 'app.py'), path.join(folder, 'app.py'));
    await workbench.tab('app.py').click();
    await workbench.runCommand('Flask Tutor: Verify Exercise');
    await page.locator('.notification-toast', { hasText: `"${TITLE}" passed` }).waitFor({ timeout: 90_000 });
    await screenshot('passed');

    const walkthrough = await workbench.openWalkthrough('Flask Tutor F1: Flask fundamentals');
    const tick = walkthrough.locator(`[data-done-step-id$="#exercise-${EXERCISE}"]`);
    await tick.waitFor({ timeout: 30_000 });
    // VS Code ticks the step (class "complete") once the context key the verify set is true.
    for (const until = Date.now() + 30_000; !(await tick.evaluate((el) => el.classList.contains('complete'))); ) {
      check(Date.now() < until, `the step of ${EXERCISE} is not ticked after a passing verify`);
      await page.waitForTimeout(250);
    }
    await screenshot('walkthrough-ticked');

    await workbench.runCommand('Developer: Restart Extension Host');
    const status = page.locator('.part.statusbar', { hasText: /Your first Flask app · F1 1\/\d+/ });
    await status.waitFor({ timeout: 60_000 });
    check(
      await tick.evaluate((el) => el.classList.contains('complete')),
      'the walkthrough step is no longer ticked after the extension host restarted',
    );
    await screenshot('after-restart');
  },
};
