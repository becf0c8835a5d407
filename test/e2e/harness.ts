/**
 * The e2e tier drives the real VS Code UI (code-server in headless Chromium, through
 * playwright-core) with the packaged .vsix installed the way a user installs it.
 *
 * To add a scenario, add `test/e2e/scenarios/<name>.e2e.ts` exporting `scenario` (or
 * `scenarios`, an array) of type E2eScenario; scripts/run-e2e.mjs finds it after
 * `npm run compile-tests`. Each scenario gets its own server, a fresh profile and a temporary
 * copy of its fixture workspace (test/integration/fixtures/<fixture>/).
 */
import type { Locator, Page } from 'playwright-core';

export interface E2eScenario {
  /** Names the scenario in the output and its screenshots (test-results/e2e/<name>-*.png). */
  name: string;
  /** Fixture workspace under test/integration/fixtures/ (default "basic"). Its scenario.json
   *  decides trust, as in the integration tier. */
  fixture?: string;
  /** Seconds before the scenario is failed (default 120). */
  timeoutSeconds?: number;
  run(ctx: E2eContext): Promise<void>;
}

export interface E2eContext {
  page: Page;
  workbench: Workbench;
  /** The temporary copy of the fixture workspace that is open. */
  workspace: string;
  /** The profile's folder: User/settings.json there is watched, so writing it changes settings live. */
  userDataDir: string;
  /** Saves test-results/e2e/<scenario>-<n>-<step>.png; returns its path. */
  screenshot(step: string): Promise<string>;
  log(message: string): void;
}

/** Fails with `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** The workbench's UI, as a user reaches it. Selectors follow VS Code's own smoke tests. */
export class Workbench {
  constructor(readonly page: Page) {}

  /** Waits until the workbench is drawn and the folder's Explorer is restored. */
  async waitForReady(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    await this.page.locator('.part.statusbar').waitFor({ timeout: timeoutMs });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
    // The Problems item joins the status bar once the workbench has restored its contributions.
    await this.page.locator('.part.statusbar [id="status.problems"]').waitFor({ timeout: timeoutMs });
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Runs a command from the Command Palette (F1) by its label, e.g. "Flask Tutor: Show Log".
   * Right after start-up an extension's commands may not be listed yet (the palette does not
   * refresh while open): it retries until `timeoutMs`.
   */
  async runCommand(label: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        // VS Code marks the quick input `inert` while its close animation runs; reopened before
        // that ends (a loaded machine delays it), it stays inert. Wait it out, then open.
        await this.page.locator('.quick-input-widget[inert]').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
        await this.page.keyboard.press('F1');
        const input = this.quickInput.locator('.quick-input-box input');
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        await input.fill(`>${label}`, { timeout: 5_000 });
        await this.pickQuickItem(label, 2_000);
        return;
      } catch (error) {
        await this.page.keyboard.press('Escape');
        if (Date.now() > deadline) throw new Error(`command "${label}" is not in the Command Palette: ${String(error)}`);
        await this.page.waitForTimeout(1_000);
      }
    }
  }

  /** Picks the open quick pick's item whose label is exactly `label` (what follows, e.g. another
   *  quick pick, is for the caller to wait for). */
  async pickQuickItem(label: string, timeoutMs = 30_000): Promise<void> {
    const row = this.quickInput.locator('.monaco-list-row').filter({
      has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }),
    });
    await row.first().waitFor({ state: 'visible', timeout: timeoutMs });
    await row.first().click();
  }

  /** Preferences: Color Theme, then the theme by its name in the picker ("Dark Modern", "Light 2026"…). */
  async setColorTheme(theme: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.runCommand('Preferences: Color Theme');
      try {
        // The picker first shows only "Browse Additional Color Themes…"; the themes arrive a moment
        // later, and a filter typed before them can leave the list empty. Wait for them, then type.
        await this.quickInput.locator('.monaco-list-row', { hasText: /Modern|Dark|Light/ }).first().waitFor({ timeout: 10_000 });
        await this.page.keyboard.type(theme, { delay: 20 });
        await this.pickQuickItem(theme, 10_000);
        // The workbench says which kind of theme it wears: a screenshot named "dark" must be dark.
        const kind = /High Contrast/.test(theme) ? (/Light/.test(theme) ? 'hc-light' : 'hc-black') : /Dark/.test(theme) ? 'vs-dark' : 'vs';
        await this.page.locator(`.monaco-workbench.${kind}`).waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        await this.page.keyboard.press('Escape');
        if (attempt >= 3) throw error;
      }
    }
    await this.page.waitForTimeout(500); // the new colours are applied on the next frames
  }

  /** Opens a walkthrough through "Welcome: Open Walkthrough..." by its title; its tab is "Welcome". */
  async openWalkthrough(title: string): Promise<Locator> {
    await this.runCommand('Welcome: Open Walkthrough...');
    // Filter first: with many walkthroughs the one we want may be below the fold.
    await this.quickInput.locator('.quick-input-box input').fill(title);
    await this.pickQuickItem(title);
    const tab = this.tab('Welcome');
    await tab.waitFor();
    return this.page.locator('.gettingStartedContainer');
  }

  /** A step of the open walkthrough by its title; a completed step has aria-checked="true". */
  walkthroughStep(title: string): Locator {
    return this.page.locator('.gettingStartedContainer .getting-started-step', { hasText: title }).first();
  }

  /** An editor tab by its title. */
  tab(title: string): Locator {
    return this.page.locator('.tabs-container .tab', { hasText: title }).first();
  }

  /** The panel (Output, Terminal, Problems, ...). */
  get panel(): Locator {
    return this.page.locator('.part.panel');
  }

  /** The channel the Output view shows, as named in its channel picker. */
  async outputChannel(): Promise<string> {
    const select = this.panel.locator('select.monaco-select-box').first();
    await select.waitFor();
    return select.evaluate((el: { options: ArrayLike<{ text: string }>; selectedIndex: number }) => el.options[el.selectedIndex]?.text ?? '');
  }

  /** The text of the Output view's editor (the visible lines). */
  async outputText(): Promise<string> {
    return (await this.panel.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
