import * as fs from 'fs';
import * as path from 'path';
import { contrastProblems, type ThemeColors } from '../../../src/core/svgContrast';
import { check, E2eScenario } from '../harness';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const FIXTURE = path.join(REPO, 'test', 'fixtures', 'theme-colors.json');
/** The themes a learner is most likely to use: VS Code's defaults (2026, Modern, +), light, dark and high contrast. */
export const THEMES = ['Dark 2026', 'Light 2026', 'Dark Modern', 'Light Modern', 'Dark High Contrast', 'Light High Contrast', 'Dark+', 'Light+'];
const PAGE_VARS = ['--vscode-editor-background', '--vscode-welcomePage-background'];
/** Colours an SVG author may reach for (recorded so the unit tier can judge them too). */
const CANDIDATES = [
  '--vscode-errorForeground', '--vscode-editorError-foreground', '--vscode-gitDecoration-addedResourceForeground', '--vscode-gitDecoration-deletedResourceForeground',
  '--vscode-gitDecoration-modifiedResourceForeground', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-yellow', '--vscode-charts-orange', '--vscode-charts-blue',
  '--vscode-charts-foreground', '--vscode-terminal-ansiGreen', '--vscode-terminal-ansiRed', '--vscode-terminal-ansiYellow', '--vscode-terminal-ansiBlue',
  '--vscode-debugTokenExpression-string', '--vscode-debugTokenExpression-error', '--vscode-debugTokenExpression-number', '--vscode-textCodeBlock-background',
  '--vscode-testing-iconErrored', '--vscode-list-warningForeground', '--vscode-list-errorForeground', '--vscode-notificationsWarningIcon-foreground',
  '--vscode-editorInfo-foreground', '--vscode-problemsWarningIcon-foreground', '--vscode-symbolIcon-stringForeground', '--vscode-editor-foreground',
];

function svgFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? svgFiles(path.join(dir, e.name)) : e.name.endsWith('.svg') ? [path.join(dir, e.name)] : []));
}

/**
 * The colours our SVG visuals use, read from the real VS Code in each default theme, checked for
 * text contrast (src/core/svgContrast.ts), and compared with test/fixtures/theme-colors.json,
 * which the unit tier checks every SVG against. FLASK_TUTOR_UPDATE_THEME_COLORS=1 rewrites the
 * fixture when VS Code's colours change.
 */
export const scenario: E2eScenario = {
  name: 'theme-colors',
  fixture: 'basic',
  timeoutSeconds: 240,
  async run({ page, workbench, log, screenshot }) {
    await workbench.waitForReady();
    const svgs = svgFiles(path.join(REPO, 'media'));
    const names = new Set([...PAGE_VARS, ...CANDIDATES]);
    for (const f of svgs) for (const m of fs.readFileSync(f, 'utf8').matchAll(/var\((--vscode-[\w-]+)/g)) names.add(m[1]);
    const captured: Record<string, ThemeColors> = {};
    const read = (vars: string[]) =>
      page.evaluate(`(() => { const s = getComputedStyle(document.querySelector('.monaco-workbench')); return Object.fromEntries(${JSON.stringify(vars)}.map((v) => [v, s.getPropertyValue(v).trim()])); })()`) as Promise<Record<string, string>>;
    for (const theme of THEMES) {
      // As a learner does: Preferences: Color Theme, then the theme's name.
      await workbench.setColorTheme(theme);
      // The theme id is on the body's classes only partly: wait until the colours stop changing.
      let last = '';
      for (let i = 0; i < 40; i++) {
        const now = (await read(['--vscode-editor-background']))['--vscode-editor-background'];
        if (now && now === last && i > 3) break;
        last = now;
        await page.waitForTimeout(250);
      }
      const values = await read([...names].sort());
      captured[theme] = values;
      log(`${theme}: editor background ${values['--vscode-editor-background']}, foreground ${values['--vscode-foreground']}`);
    }
    const distinct = new Set(Object.values(captured).map((c) => c['--vscode-editor-background']));
    check(distinct.size >= 4, `the themes did not switch: backgrounds ${[...distinct].join(', ')}`);
    await screenshot('last-theme');
    const problems: string[] = [];
    for (const [theme, colors] of Object.entries(captured)) {
      const pageColor = colors['--vscode-welcomePage-background'] || colors['--vscode-editor-background'];
      for (const f of svgs) {
        for (const p of contrastProblems(fs.readFileSync(f, 'utf8'), colors, pageColor)) {
          problems.push(`${theme} ${path.relative(REPO, f)}: "${p.text}" ${p.ratio}:1 < ${p.needed}:1 (${p.foreground} on ${p.background})`);
        }
      }
    }
    const outFile = path.join(REPO, 'test-results', 'e2e', 'theme-colors.json');
    fs.writeFileSync(outFile, `${JSON.stringify(captured, null, 2)}\n`);
    if (process.env.FLASK_TUTOR_UPDATE_THEME_COLORS) fs.writeFileSync(FIXTURE, `${JSON.stringify(captured, null, 2)}\n`);
    check(problems.length === 0, `SVG text below WCAG AA contrast:\n${problems.join('\n')}`);
    const committed = fs.existsSync(FIXTURE) ? (JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<string, ThemeColors>) : {};
    const stale = Object.entries(captured).flatMap(([theme, colors]) =>
      Object.entries(colors)
        .filter(([name, value]) => committed[theme]?.[name] !== value)
        .map(([name, value]) => `${theme} ${name}: VS Code ${value || '(unset)'}, fixture ${committed[theme]?.[name] ?? '(missing)'}`),
    );
    check(
      stale.length === 0,
      `VS Code's theme colours differ from test/fixtures/theme-colors.json (the unit tier checks SVGs against it):\n${stale.join('\n')}\nRefresh with FLASK_TUTOR_UPDATE_THEME_COLORS=1 node scripts/run-e2e.mjs theme-colors`,
    );
  },
};
