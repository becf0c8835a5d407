import { check, E2eScenario } from '../harness';

/**
 * The exercise brief as a learner sees it: rendered Markdown in a webview with Verify / Hint /
 * Reset / Compare buttons that work from the keyboard; Verify updates the live status. It takes
 * about a third of the width, and comes back after a window reload.
 */
export const scenario: E2eScenario = {
  name: 'brief',
  fixture: 'e2e-verify',
  timeoutSeconds: 180,
  async run({ page, workbench, screenshot }) {
    await workbench.waitForReady();
    await workbench.runCommand('Flask Tutor: Open Exercise Brief');
    // No exercise file is active, so it asks which exercise.
    await workbench.pickQuickItem('Your first Flask app');
    // A webview is an iframe inside an iframe.
    const brief = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await brief.locator('h1, h2').first().waitFor({ timeout: 60_000 });
    const heading = await brief.locator('h1, h2').first().innerText();
    check(/first Flask app/i.test(heading), `the brief's heading is "${heading}"`);
    const verify = brief.locator('button', { hasText: 'Verify' });
    await verify.waitFor({ timeout: 10_000 });
    await screenshot('brief');
    await verify.focus();
    await page.keyboard.press('Enter');
    const status = brief.locator('[aria-live]');
    await status.filter({ hasText: /fail|0 of 4|0\/4|not passed/i }).waitFor({ timeout: 90_000 });
    await screenshot('brief-after-verify');
    // With the learner's code open, the brief opens beside it and the code keeps most of the width.
    await workbench.runCommand('View: Close All Editors');
    await page.keyboard.press('Control+P');
    await workbench.quickInput.locator('.quick-input-box input').fill('f1-first-app/app.py');
    await workbench.quickInput.locator('.monaco-list-row').first().waitFor();
    await page.keyboard.press('Enter');
    await workbench.tab('app.py').waitFor();
    await workbench.runCommand('Flask Tutor: Open Exercise Brief');
    await workbench.tab('Brief: Your first Flask app').waitFor();
    await page.waitForTimeout(500);
    await screenshot('brief-beside-code');
    const widths = await page.locator('.editor-group-container').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    check(widths.length === 2 && widths[0] > widths[1] * 1.5, `editor group widths ${widths.join(', ')}: the brief should take about a third`);
    // A window reload brings the brief back (WebviewPanelSerializer), with its content.
    await workbench.runCommand('Developer: Reload Window');
    await workbench.waitForReady();
    await workbench.tab('Brief: Your first Flask app').waitFor({ timeout: 60_000 });
    const restored = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await restored.locator('h1', { hasText: /first Flask app/i }).first().waitFor({ timeout: 60_000 });
    await restored.locator('button', { hasText: 'Verify' }).waitFor({ timeout: 30_000 });
    await screenshot('brief-after-reload');
  },
};
