import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { contrastProblems, contrastRatio, parseColor, resolvePaint, type ThemeColors } from '../../src/core/svgContrast';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Captured from the real VS Code by the e2e scenario "theme-colors" (which also keeps it current). */
const THEMES = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'theme-colors.json'), 'utf8')) as Record<string, ThemeColors>;

function svgFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? svgFiles(path.join(dir, e.name)) : e.name.endsWith('.svg') ? [path.join(dir, e.name)] : []));
}

describe('svgContrast: WCAG AA text contrast of our SVG visuals in every default theme', () => {
  it('computes WCAG ratios, resolves theme variables with fallbacks, blends transparent colours', () => {
    assert.strictEqual(Math.round(contrastRatio(parseColor('#000')!, parseColor('#fff')!) * 10) / 10, 21);
    assert.strictEqual(Math.round(contrastRatio(parseColor('#73c991')!, parseColor('#ffffff')!) * 10) / 10, 2);
    assert.strictEqual(resolvePaint('var(--vscode-foreground, #cccccc)', { '--vscode-foreground': '#202020' }), '#202020');
    assert.strictEqual(resolvePaint('var(--vscode-nope, var(--vscode-foreground, #ccc))', {}), '#ccc');
    assert.deepStrictEqual(parseColor('rgba(255, 255, 255, 0.7)'), [255, 255, 255, 0.7]);
    const svg = '<svg><rect x="0" y="0" width="100" height="40" fill="var(--vscode-box, #000)"/><text x="10" y="20" font-size="12" fill="var(--vscode-fg, #fff)">on the box</text><text x="10" y="80" font-size="12" fill="var(--vscode-fg, #fff)">on the page</text></svg>';
    const problems = contrastProblems(svg, { '--vscode-box': '#ffffff', '--vscode-fg': '#eeeeee' }, '#000000');
    assert.deepStrictEqual(problems.map((p) => p.text), ['on the box'], 'measured against the rect it sits on, the page elsewhere');
    assert.deepStrictEqual(contrastProblems(svg.replace(/font-size="12"/g, 'font-size="24"'), { '--vscode-box': '#777777', '--vscode-fg': '#000000' }, '#000000').map((p) => p.text), ['on the page'], '3:1 is enough for large text');
  });

  it('knows at least the dark, light and high-contrast default themes', () => {
    for (const theme of ['Dark Modern', 'Light Modern', 'Dark High Contrast', 'Light High Contrast']) assert.ok(THEMES[theme], theme);
  });

  for (const file of svgFiles(path.join(ROOT, 'media'))) {
    it(path.relative(ROOT, file), () => {
      const svg = fs.readFileSync(file, 'utf8');
      const problems = Object.entries(THEMES).flatMap(([theme, colors]) =>
        contrastProblems(svg, colors, colors['--vscode-welcomePage-background'] || colors['--vscode-editor-background']).map(
          (p) => `${theme}: "${p.text}" ${p.ratio}:1 < ${p.needed}:1 (${p.foreground} on ${p.background})`,
        ),
      );
      assert.deepStrictEqual(problems, []);
    });
  }
});
