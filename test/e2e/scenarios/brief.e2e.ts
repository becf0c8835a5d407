import { check, E2eScenario } from '../harness';

/**
 * The exercise brief as a learner sees it: rendered Markdown in a webview with Verify / Hint /
 * Reset / Compare buttons that work from the keyboard; Verify updates the live status.
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
  },
};
