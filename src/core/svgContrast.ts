/**
 * Text contrast of the course's theme-aware SVGs (walkthrough and brief visuals), per VS Code
 * theme: every <text> is measured against what it is drawn on (the last filled <rect> before it
 * or <circle> that contains it, else the page), with colours resolved from the theme's CSS variables
 * (`var(--vscode-foreground, #ccc)` → the theme's value, else the fallback). WCAG 2.x AA:
 * 4.5:1, or 3:1 for large text (≥ 24 px, or ≥ 18.66 px bold). Pure: the theme values come from
 * the real VS Code (test/e2e/scenarios/themeColors.e2e.ts writes test/fixtures/theme-colors.json).
 */

export type ThemeColors = Record<string, string>;

export interface ContrastProblem {
  text: string;
  ratio: number;
  needed: number;
  foreground: string;
  background: string;
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  /** opacity × fill-opacity */
  opacity: number;
}

interface Attrs {
  [name: string]: string;
}

const TAG = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|([^<]+)/g;
const ATTR = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attrsOf(text: string): Attrs {
  const out: Attrs = {};
  for (const m of text.matchAll(ATTR)) out[m[1]] = m[2] ?? m[3] ?? '';
  return out;
}

/** `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb(a)(…)` → [r, g, b, a] (0-255, a 0-1); undefined otherwise. */
export function parseColor(value: string): [number, number, number, number] | undefined {
  const v = value.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,4})$/.exec(v);
  if (m) {
    const [r, g, b, a] = [...m[1]].map((c) => parseInt(c + c, 16));
    return [r, g, b, a === undefined ? 1 : a / 255];
  }
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(v);
  if (m) return [parseInt(m[1].slice(0, 2), 16), parseInt(m[1].slice(2, 4), 16), parseInt(m[1].slice(4, 6), 16), m[2] ? parseInt(m[2], 16) / 255 : 1];
  m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\s*\)$/.exec(v);
  if (m) {
    const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
    return [Number(m[1]), Number(m[2]), Number(m[3]), a];
  }
  if (v === 'white') return [255, 255, 255, 1];
  if (v === 'black') return [0, 0, 0, 1];
  return undefined;
}

/** A paint value with the theme's variables substituted (nested fallbacks allowed). */
export function resolvePaint(value: string | undefined, theme: ThemeColors): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const m = /^var\(\s*(--[\w-]+)\s*(?:,\s*(.*))?\)$/.exec(v);
  if (!m) return v;
  const themed = theme[m[1]];
  if (themed !== undefined && themed.trim() !== '') return themed.trim();
  return m[2] !== undefined ? resolvePaint(m[2], theme) : undefined;
}

function luminance([r, g, b]: number[]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function over(top: [number, number, number, number], under: [number, number, number, number]): [number, number, number, number] {
  const a = top[3];
  return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1];
}

export function contrastRatio(fg: [number, number, number, number], bg: [number, number, number, number]): number {
  const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
  return (l1 + 0.05) / (l2 + 0.05);
}

/** Every text of `svg` below AA contrast in `theme`, drawn on a page of colour `page`. */
export function contrastProblems(svg: string, theme: ThemeColors, page: string): ContrastProblem[] {
  const pageColor = parseColor(page);
  if (!pageColor) throw new Error(`page colour ${page} is not a colour`);
  const problems: ContrastProblem[] = [];
  const rects: Rect[] = [];
  const stack: Attrs[] = [{}];
  const inherited = (name: string) => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i][name] !== undefined) return stack[i][name];
    return undefined;
  };
  let open: { attrs: Attrs; content: string } | undefined;
  for (const m of svg.matchAll(TAG)) {
    if (m[5] !== undefined) {
      if (open) open.content += m[5];
      continue;
    }
    if (!m[2]) continue; // a comment
    const closing = m[1] === '/';
    const name = m[2];
    const selfClosing = m[4] === '/';
    if (closing) {
      if (name === 'text' && open) {
        measure(open.attrs, open.content);
        open = undefined;
      }
      if (name === 'g' || name === 'svg' || name === 'text') stack.pop();
      continue;
    }
    const attrs = attrsOf(m[3] ?? '');
    if (name === 'rect' || name === 'circle') {
      const fill = attrs.fill ?? inherited('fill');
      if (fill && fill !== 'none') {
        const opacity = Number(attrs.opacity ?? 1) * Number(attrs['fill-opacity'] ?? 1);
        if (name === 'rect') rects.push({ x: Number(attrs.x ?? 0), y: Number(attrs.y ?? 0), width: Number(attrs.width ?? 0), height: Number(attrs.height ?? 0), fill, opacity });
        else {
          // a circle counts by its inscribed square: text centred in it is inside that
          const r = Number(attrs.r ?? 0) / Math.SQRT2;
          rects.push({ x: Number(attrs.cx ?? 0) - r, y: Number(attrs.cy ?? 0) - r, width: 2 * r, height: 2 * r, fill, opacity });
        }
      }
    }
    if (name === 'g' || name === 'svg' || name === 'text') {
      if (!selfClosing) stack.push(name === 'svg' ? { ...attrs, fill: undefined as unknown as string } : attrs);
      if (name === 'text' && !selfClosing) open = { attrs, content: '' };
    }
    if (name === 'tspan' && open) {
      /* a tspan's own fill is rare in our SVGs; its text joins the text's */
    }
  }

  function measure(attrs: Attrs, content: string) {
    const text = content.replace(/\s+/g, ' ').trim();
    if (!text) return;
    const fillValue = attrs.fill ?? inherited('fill');
    const fill = resolvePaint(fillValue, theme);
    if (!fill || fill === 'none') return;
    const size = Number(attrs['font-size'] ?? inherited('font-size') ?? 16);
    const weight = attrs['font-weight'] ?? inherited('font-weight') ?? '400';
    const bold = weight === 'bold' || Number(weight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const x = Number(attrs.x ?? 0);
    const y = Number(attrs.y ?? 0) - size / 3; // the middle of the glyphs, above the baseline
    const under = [...rects].reverse().find((r) => x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height);
    let background: [number, number, number, number] = pageColor!;
    let bgText = page;
    if (under) {
      const resolved = resolvePaint(under.fill, theme);
      const c = resolved ? parseColor(resolved) : undefined;
      if (c) {
        background = over([c[0], c[1], c[2], c[3] * under.opacity], pageColor!);
        bgText = resolved!;
      }
    }
    const fg = parseColor(fill);
    if (!fg) return;
    const ratio = contrastRatio(over(fg, background), background);
    if (ratio + 1e-9 < needed) problems.push({ text, ratio: Math.round(ratio * 100) / 100, needed, foreground: fill, background: bgText });
  }
  return problems;
}
