import { check, E2eScenario } from '../harness';

/**
 * The Course view, as a learner meets it: the Flask Tutor icon in the activity bar opens the
 * tree of Parts and chapters (Part 0's chapters with their exercises, later chapters marked
 * upcoming). Screenshots in a light and a dark theme, for a person to look at.
 */
export const scenario: E2eScenario = {
  name: 'course-view',
  fixture: 'basic',
  timeoutSeconds: 180,
  async run({ page, workbench, screenshot }) {
    await workbench.waitForReady();
    const icon = page.locator('.activitybar .action-item a[aria-label^="Flask Tutor"], .activitybar .action-label[aria-label^="Flask Tutor"]').first();
    await icon.waitFor({ state: 'visible', timeout: 60_000 });
    await icon.click();
    const tree = page.locator('.pane-body [role="tree"]').filter({ has: page.locator('[role="treeitem"]', { hasText: 'Part 0: Flask foundations' }) }).first();
    await tree.waitFor({ timeout: 60_000 });
    const rows = tree.locator('[role="treeitem"]');
    // Part 0 is expanded with its chapters; the first unfinished chapter shows its exercises.
    await tree.locator('[role="treeitem"]', { hasText: 'F1 Flask fundamentals' }).first().waitFor();
    await tree.locator('[role="treeitem"]', { hasText: 'not started' }).first().waitFor();
    const texts = await rows.allTextContents();
    check(!texts.some((t) => t.includes('Contact form')), `only the current chapter (F1) is open: ${texts.join(' | ')}`);
    check(texts.some((t) => t.includes('TM Capstone: Task Manager')), `Part 0's capstones are on the map: ${texts.join(' | ')}`);
    // Keyboard: the tree is reachable and navigable without a mouse.
    await tree.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    const focused = await tree.locator('[role="treeitem"].focused').first().textContent();
    check(focused && focused.length > 0, 'a tree row takes the keyboard focus');
    await screenshot('light');
    await workbench.setColorTheme('Dark Modern');
    await screenshot('dark');
    // The tree is virtual (only rows in view exist): the later Parts come into view at the end.
    await tree.focus();
    await page.keyboard.press('End');
    await tree.locator('[role="treeitem"]', { hasText: 'Part 5: Production and operations' }).first().waitFor();
    const later = await rows.allTextContents();
    check(later.some((t) => t.includes('Part 2: Advanced backend features')), `the later Parts are listed: ${later.join(' | ')}`);
    // Upcoming chapters are visible, not hidden: open Part 2.
    await tree.locator('[role="treeitem"]', { hasText: 'Part 2: Advanced backend features' }).first().click();
    await page.keyboard.press('ArrowRight');
    await tree.locator('[role="treeitem"]', { hasText: 'upcoming' }).first().waitFor();
    await screenshot('dark-upcoming');
  },
};
