import * as fs from 'fs';
import * as path from 'path';
import { check, E2eScenario } from '../harness';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

interface Walkthrough {
  id: string;
  title: string;
  steps: { id: string; title: string; media: { svg?: string; image?: string; altText?: string } }[];
}

/**
 * Every walkthrough of the course renders in the real VS Code: for each one, its first concept
 * step is opened and its SVG visual must be drawn (the step's SVG, found by its <title>, with a size). One screenshot per walkthrough, for a person to look at.
 */
export const scenario: E2eScenario = {
  name: 'walkthroughs',
  fixture: 'basic',
  timeoutSeconds: 300,
  async run({ page, workbench, screenshot }) {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { walkthroughs: Walkthrough[] } };
    await workbench.waitForReady();
    // The Welcome page lists some of our walkthroughs (at most 4 beside VS Code's own, then
    // "More..."). Which ones and in what order is VS Code's ranking of new walkthroughs (by when
    // each registered, to the millisecond), not ours: seen "C03, C04, C05, P1" and "C05, P1,
    // Start here, F1" on the same build. Learners start from the Course view's "Start here".
    await workbench.runCommand('Help: Welcome');
    const listed = page.locator('.getting-started-category .category-title');
    await listed.first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2500); // featured walkthroughs register after a workspace search
    const titles = (await listed.allTextContents()).map((t) => t.trim()).filter((t) => pkg.contributes.walkthroughs.some((w) => w.title === t));
    check(titles.length >= 3, `the Welcome page should list our walkthroughs, got: ${titles.join(' | ')}`);
    console.log(`  Welcome page lists: ${titles.join(' | ')}`);
    await screenshot('welcome-page');
    // The Welcome page hides step media when the editor is narrow: give it the window's width.
    await workbench.runCommand('View: Close Primary Side Bar');
    for (const walkthrough of pkg.contributes.walkthroughs) {
      // Full width: nothing else open beside the Welcome page.
      await workbench.runCommand('View: Close All Editors');
      const container = await workbench.openWalkthrough(walkthrough.title);
      await container.locator('.getting-started-category h2, .category-title', { hasText: walkthrough.title }).first().waitFor({ timeout: 30_000 });
      const step = walkthrough.steps.find((s) => s.media.svg || s.media.image);
      if (!step) {
        // A chapter whose exercises ship before its walkthrough folder gets a generated walkthrough
        // of exercise steps only (docs/exercise-format.md): it must open, with its first step.
        check(walkthrough.steps.length > 0 && walkthrough.steps.every((s) => s.id.startsWith('exercise-')), `${walkthrough.id} has concept steps but no visual`);
        await workbench.walkthroughStep(walkthrough.steps[0].title).waitFor({ timeout: 30_000 });
        console.log(`  ${walkthrough.id}: exercise steps only (no walkthrough folder yet)`);
        await screenshot(walkthrough.id.replace('flaskTutor.', ''));
        await workbench.tab('Welcome').click();
        continue;
      }
      const row = workbench.walkthroughStep(step.title);
      await row.click();
      // SVG media are drawn inside a webview (so theme colours apply): find the frame that shows
      // this step's SVG by its <title>.
      const file = step.media.svg ?? step.media.image!;
      const svgTitle = /<title[^>]*>([^<]+)<\/title>/.exec(fs.readFileSync(path.join(REPO, file), 'utf8'))?.[1];
      check(svgTitle, `${file} has no <title>`);
      await container.locator('.getting-started-media').first().waitFor({ state: 'visible', timeout: 30_000 });
      for (const until = Date.now() + 30_000; ; ) {
        let drawn = false;
        for (const frame of page.frames()) {
          const title = frame.locator('svg title').first();
          if ((await title.count().catch(() => 0)) && (await title.textContent().catch(() => '')) === svgTitle) {
            const box = await frame.locator('svg').first().boundingBox().catch(() => null);
            drawn = !!box && box.width > 100 && box.height > 50;
            if (drawn) break;
          }
        }
        if (drawn) break;
        check(Date.now() < until, `the visual of "${step.title}" (${walkthrough.id}, ${file}) is not drawn`);
        await page.waitForTimeout(250);
      }
      await screenshot(walkthrough.id.replace('flaskTutor.', ''));
      // Take the keyboard focus back from the media webview, so F1 reaches the workbench.
      await workbench.tab('Welcome').click();
    }
  },
};
