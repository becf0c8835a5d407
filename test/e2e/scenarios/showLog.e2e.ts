import { check, E2eScenario } from '../harness';

/** A learner runs "Flask Tutor: Show Log" from the Command Palette and sees the extension's log. */
export const scenario: E2eScenario = {
  name: 'show-log',
  fixture: 'basic',
  async run({ workbench, screenshot }) {
    await workbench.waitForReady();
    await screenshot('workbench');

    await workbench.runCommand('Flask Tutor: Show Log');
    await workbench.panel.waitFor({ state: 'visible' });
    await workbench.panel.locator('.monaco-editor .view-lines', { hasText: 'Activated in' }).waitFor({ timeout: 30_000 });
    const channel = await workbench.outputChannel();
    check(channel === 'Flask Backend Tutor', `the Output view shows channel "${channel}", not "Flask Backend Tutor"`);
    const text = await workbench.outputText();
    check(/\[info\] Activated in [\d.]+ ms/.test(text), `the log does not show the activation line:\n${text}`);
    await screenshot('output-log');
  },
};
