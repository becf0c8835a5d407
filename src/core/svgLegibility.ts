/**
 * Legibility of our SVG visuals at the width VS Code gives walkthrough media (about 440 px at a
 * 1280-px window): every text must render at 12 px or more, so its font-size must be at least
 * viewBoxWidth × 12 / 440. Pure: no `vscode`, no DOM (a small reader of the attributes we write:
 * the root viewBox, and font-size on <text>, <tspan> or an enclosing <g>).
 */

/** The width walkthrough media render at, in CSS pixels. */
export const RENDER_WIDTH = 440;
/** The smallest text size we accept there, in CSS pixels. */
export const MIN_TEXT_PX = 12;

export interface SmallText {
  /** 1-based line of the element in the file. */
  line: number;
  text: string;
  fontSize: number;
  /** What it renders at, in CSS pixels. */
  px: number;
}

/** Texts of `svg` that render under MIN_TEXT_PX at RENDER_WIDTH (an SVG without a viewBox: []). */
export function smallTexts(svg: string): SmallText[] {
  const vb = /<svg\b[^>]*\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+[\d.]+\s*"/.exec(svg);
  if (!vb) return [];
  const scale = RENDER_WIDTH / Number(vb[1]);
  const out: SmallText[] = [];
  const sizes: (number | undefined)[] = [];
  const tag = /<(\/?)(g|text|tspan)\b([^>]*?)(\/?)>|([^<]+)/g;
  let current: { line: number; size: number; text: string } | undefined;
  const lineAt = (index: number) => svg.slice(0, index).split('\n').length;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    if (m[5] !== undefined) {
      if (current) current.text += m[5];
      continue;
    }
    const [, closing, name, attrs, selfClosing] = m;
    if (closing) {
      sizes.pop();
      if (name === 'text' && current) {
        const px = current.size * scale;
        if (current.text.trim() && px < MIN_TEXT_PX - 1e-9) out.push({ line: current.line, text: current.text.trim().replace(/\s+/g, ' '), fontSize: current.size, px: Math.round(px * 10) / 10 });
        current = undefined;
      }
      continue;
    }
    const own = /\bfont-size="([\d.]+)(?:px)?"/.exec(attrs);
    const inherited = [...sizes].reverse().find((s) => s !== undefined);
    const size = own ? Number(own[1]) : inherited;
    if (!selfClosing) sizes.push(size);
    if (name === 'text') current = { line: lineAt(m.index), size: size ?? 16, text: '' };
    else if (name === 'tspan' && current && own) current.size = Math.min(current.size, Number(own[1]));
  }
  return out;
}
