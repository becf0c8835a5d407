import { check, E2eScenario } from '../harness';

/**
 * The Flask language server as a learner meets it: a squiggle under a mistyped endpoint with the
 * tutor's explanation, the CodeLens above a route, and the Routes view in the Flask
 * Tutor side bar. The problem is opened inline from the keyboard (Go to Next Problem). Screenshots in a light and a dark theme, for a person to look at.
 */
export const scenario: E2eScenario = {
  name: 'language-server',
  fixture: 'lsp',
  timeoutSeconds: 240,
  async run({ page, workbench, screenshot }) {
    await workbench.waitForReady();
    await page.keyboard.press('Control+P');
    await workbench.quickInput.locator('.quick-input-box input').fill('shop/app.py');
    await workbench.quickInput.locator('.monaco-list-row').first().waitFor();
    await page.keyboard.press('Enter');
    await workbench.tab('app.py').waitFor();
    // The warning squiggle under "products.detial", once the server has analysed the file.
    const squiggle = page.locator('.monaco-editor .squiggly-warning').first();
    await squiggle.waitFor({ timeout: 90_000 });
    // The CodeLens above the route decorator.
    const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'GET /' }).first();
    await lens.waitFor({ timeout: 30_000 });
    // The problem, opened inline with the keyboard (F8's command): the message and the explanation.
    await page.locator('.monaco-editor textarea').first().focus();
    await workbench.runCommand('Go to Next Problem (Error, Warning, Info)');
    const marker = page.locator('.marker-widget', { hasText: 'did you mean "products.detail"' }).first();
    await marker.waitFor({ timeout: 30_000 });
    check((await marker.textContent())?.includes('url_for() builds a URL'), 'the problem explains the rule');
    await screenshot('diagnostic-light');
    await page.keyboard.press('Escape');
    // The Routes view, from the Flask Tutor icon in the activity bar.
    await workbench.runCommand('Flask Tutor: Show Routes');
    const tree = page.locator('.pane-body [role="tree"]').filter({ has: page.locator('[role="treeitem"]', { hasText: '/products/<int:product_id>' }) }).first();
    await tree.waitFor({ timeout: 60_000 });
    const texts = await tree.locator('[role="treeitem"]').allTextContents();
    check(texts.some((t) => t.includes('products')) && texts.some((t) => t.includes('GET → detail()')), `routes grouped by blueprint: ${texts.join(' | ')}`);
    await screenshot('routes-light');
    // The request console: Try It from the CodeLens above the route, then Send.
    await workbench.tab('app.py').click();
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Try it' }).first().click();
    await workbench.tab('Try: shop').waitFor({ timeout: 30_000 });
    const consoleFrame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const pathInput = consoleFrame.locator('#path');
    // The route the CodeLens names arrives with the panel's first message: wait for it.
    await consoleFrame.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
    check((await pathInput.inputValue()) === '/', `the CodeLens of GET / fills the path: ${await pathInput.inputValue()}`);
    await pathInput.fill('/products/7');
    await pathInput.press('Control+Enter');
    const status = consoleFrame.locator('#status', { hasText: '200 OK' });
    await status.waitFor({ timeout: 60_000 });
    await consoleFrame.locator('#answered', { hasText: 'products.detail' }).waitFor();
    check((await consoleFrame.locator('#response-body').textContent())?.includes('"id": 7'), 'the pretty JSON body');
    await screenshot('console-light');
    await workbench.setColorTheme('Dark Modern');
    await screenshot('console-dark');
    await workbench.runCommand('Flask Tutor: Show Routes');
    await screenshot('routes-dark');
    await workbench.tab('app.py').click();
    await page.locator('.monaco-editor textarea').first().focus();
    await workbench.runCommand('Go to Next Problem (Error, Warning, Info)');
    await marker.waitFor({ timeout: 30_000 });
    await screenshot('diagnostic-dark');
  },
};
