import * as fs from 'fs';
import * as path from 'path';
import { check, E2eScenario } from '../harness';

const EXERCISE = 'f1-first-app';
const TITLE = 'Your first Flask app';
const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/** The title package.json gives walkthrough `id` (generated from walkthroughs/<chapter>/index.md). */
function walkthroughTitle(id: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { walkthroughs: { id: string; title: string }[] } };
  const found = pkg.contributes.walkthroughs.find((w) => w.id === id);
  check(found, `package.json has no walkthrough ${id}`);
  return found.title;
}

/**
 * A learner starts the first exercise from the Command Palette, verifies the starter (red),
 * writes a working app, verifies it (green), and finds its step ticked in chapter F1's walkthrough; after a window reload (a new
 * extension host) the status bar and the tick still show the progress. Then a syntax error (one
 * "does not load" message and a Problems entry) and a Reset with the file open (the editor shows
 * the starter at once), in dark and light themes.
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
    // The brief is a webview: wait until it has drawn its heading.
    for (const until = Date.now() + 30_000; ; ) {
      let drawn = false;
      for (const frame of page.frames()) {
        if ((await frame.locator('h1', { hasText: TITLE }).count().catch(() => 0)) > 0) drawn = true;
      }
      if (drawn) break;
      check(Date.now() < until, 'the brief webview did not draw its heading');
      await page.waitForTimeout(250);
    }
    await screenshot('started');

    // First verify on the untouched starter: red, with the next hint offered.
    await workbench.tab('app.py').click();
    await workbench.runCommand('Flask Tutor: Verify Exercise');
    const red = page.locator('.notification-toast', { hasText: `"${TITLE}": 0 of 4 checks pass` });
    await red.waitFor({ timeout: 90_000 });
    await screenshot('verify-red');

    // The learner's work: the reference solution's app.
    fs.copyFileSync(path.join(REPO, 'exercises', 'f1', 'first-app', 'solution', 'app.py'), path.join(folder, 'app.py'));
    await workbench.tab('app.py').click();
    await workbench.runCommand('Flask Tutor: Verify Exercise');
    await page.locator('.notification-toast', { hasText: `"${TITLE}" passed` }).waitFor({ timeout: 90_000 });
    await screenshot('passed');

    const title = walkthroughTitle('flaskTutor.f1');
    await page.keyboard.press('Escape');
    await workbench.tab('app.py').click(); // keyboard focus in the workbench, not in the brief's webview
    await workbench.runCommand('Welcome: Open Walkthrough...');
    await page.keyboard.type(title);
    await workbench.pickQuickItem(title);
    const walkthrough = page.locator('.gettingStartedContainer');
    const tick = walkthrough.locator(`[data-done-step-id$="#exercise-${EXERCISE}"]`);
    await tick.waitFor({ timeout: 30_000 });
    // VS Code ticks the step (class "complete") once the context key the verify set is true.
    for (const until = Date.now() + 30_000; !(await tick.evaluate((el) => el.classList.contains('complete'))); ) {
      check(Date.now() < until, `the step of ${EXERCISE} is not ticked after a passing verify`);
      await page.waitForTimeout(250);
    }
    await screenshot('walkthrough-ticked');

    // A reload restarts the extension host (and the workbench): progress must come back from
    // the extension's global state, the tick from VS Code's own walkthrough state.
    await workbench.tab('app.py').click();
    await workbench.runCommand('Developer: Reload Window');
    await workbench.waitForReady();
    const status = page.locator('.part.statusbar', { hasText: /Your first Flask app · F1 1\/\d+/ });
    await status.waitFor({ timeout: 60_000 });
    await workbench.runCommand('Welcome: Open Walkthrough...');
    await page.keyboard.type(title);
    await workbench.pickQuickItem(title);
    const again = page.locator(`.gettingStartedContainer [data-done-step-id$="#exercise-${EXERCISE}"]`);
    await again.waitFor({ timeout: 30_000 });
    check(await again.evaluate((el) => el.classList.contains('complete')), 'the walkthrough step is no longer ticked after a reload');
    await screenshot('after-restart');

    // A syntax error: said once, as an app that does not load, with a Problems entry at the line.
    const appPy = path.join(folder, 'app.py');
    const solution = fs.readFileSync(appPy, 'utf8');
    fs.writeFileSync(appPy, `${solution}\ndef broken(:\n`);
    await workbench.tab('app.py').click();
    await workbench.runCommand('Flask Tutor: Verify Exercise');
    // The learner's line is marked in the editor (the diagnostic), and listed under Problems.
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 90_000 });
    await workbench.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await page.locator('.markers-panel .monaco-list-row', { hasText: /does not load/ }).first().waitFor({ timeout: 30_000 });
    await screenshot('syntax-error');
    await workbench.setColorTheme('Dark Modern');
    await screenshot('syntax-error-dark');

    // Reset with the file open: the editor shows the starter at once, the old verdicts are gone.
    await workbench.tab('app.py').click();
    await workbench.runCommand('Flask Tutor: Reset Exercise…');
    await page.locator('.monaco-dialog-box, .notification-toast', { hasText: /Reset/ }).first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-dialog-box .monaco-button, .notification-toast .monaco-button', { hasText: /^Reset$/ }).first().click();
    const starter = fs.readFileSync(path.join(REPO, 'exercises', 'f1', 'first-app', 'starter', 'app.py'), 'utf8');
    for (const until = Date.now() + 30_000; fs.readFileSync(appPy, 'utf8') !== starter; ) {
      check(Date.now() < until, 'the reset did not write the starter');
      await page.waitForTimeout(250);
    }
    const firstTodo = starter.split('\n').find((l) => l.includes('TODO'))!.trim().slice(0, 30);
    await page.locator('.monaco-editor .view-lines', { hasText: firstTodo }).first().waitFor({ timeout: 30_000 });
    await screenshot('reset-file-open-dark');
    await workbench.setColorTheme('Light Modern');
    await screenshot('reset-file-open-light');
  },
};
