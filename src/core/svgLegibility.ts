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

/** Average glyph width of our sans-serif labels, in em (a low estimate: only obvious overflow). */
export const AVERAGE_CHAR_EM = 0.5;

export interface OverflowingText {
  line: number;
  text: string;
  /** Estimated left and right edge, in viewBox units. */
  left: number;
  right: number;
  /** The viewBox's left and right edge. */
  minX: number;
  maxX: number;
}

/**
 * Lines of text that obviously leave the viewBox sideways: x and the estimated width
 * (characters × font-size × AVERAGE_CHAR_EM, monospace 0.6), honouring text-anchor (own or from
 * an enclosing <g>). A <tspan> with its own x starts a new line. Texts under a transform are skipped.
 */
export function overflowingTexts(svg: string): OverflowingText[] {
  const vb = /<svg\b[^>]*\bviewBox="\s*([-\d.]+)[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+[\d.]+\s*"/.exec(svg);
  if (!vb) return [];
  const minX = Number(vb[1]);
  const maxX = minX + Number(vb[2]);
  const out: OverflowingText[] = [];
  type Frame = { size?: number; anchor?: string; mono?: boolean; transform: boolean };
  const stack: Frame[] = [{ transform: false }];
  const tag = /<(\/?)(g|text|tspan|svg|a)\b([^>]*?)(\/?)>|<!--[\s\S]*?-->|<[^>]*>|([^<]+)/g;
  const lineAt = (index: number) => svg.slice(0, index).split('\n').length;
  type Line = { line: number; x: number; anchor: string; size: number; mono: boolean; text: string; skip: boolean };
  let lines: Line[] | undefined;
  let cur: Line | undefined;
  const flush = () => {
    if (!lines) return;
    for (const l of lines) {
      const text = l.text.replace(/&[#\w]+;/g, 'x').replace(/\s+/g, ' ').trim();
      if (!text || l.skip) continue;
      const width = text.length * l.size * (l.mono ? 0.6 : AVERAGE_CHAR_EM);
      const left = l.anchor === 'middle' ? l.x - width / 2 : l.anchor === 'end' ? l.x - width : l.x;
      const right = left + width;
      if (left < minX - 1e-9 || right > maxX + 1e-9) out.push({ line: l.line, text, left: Math.round(left), right: Math.round(right), minX, maxX });
    }
  };
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    if (m[5] !== undefined) {
      if (cur) cur.text += m[5];
      continue;
    }
    if (!m[2]) continue;
    const [, closing, name, attrs, selfClosing] = m;
    const top = stack[stack.length - 1];
    if (closing) {
      if (stack.length > 1) stack.pop();
      if (name === 'text') {
        flush();
        lines = undefined;
        cur = undefined;
      } else if (name === 'tspan' && lines) {
        // text after a tspan continues the line that tspan was on
      }
      continue;
    }
    const attr = (n: string) => new RegExp(`(?:^|\\s)${n}="([^"]*)"`).exec(attrs)?.[1];
    const size = attr('font-size');
    const family = attr('font-family');
    const frame: Frame = {
      size: size !== undefined ? parseFloat(size) : top.size,
      anchor: attr('text-anchor') ?? top.anchor,
      mono: family !== undefined ? /mono|courier|consolas/i.test(family) : top.mono,
      transform: top.transform || attr('transform') !== undefined,
    };
    if (!selfClosing) stack.push(frame);
    if (name === 'text') {
      cur = { line: lineAt(m.index), x: parseFloat(attr('x') ?? '0'), anchor: frame.anchor ?? 'start', size: frame.size ?? 16, mono: !!frame.mono, text: '', skip: frame.transform };
      lines = [cur];
    } else if (name === 'tspan' && lines && cur) {
      const x = attr('x');
      if (x !== undefined) {
        cur = { line: lineAt(m.index), x: parseFloat(x), anchor: frame.anchor ?? 'start', size: frame.size ?? 16, mono: !!frame.mono, text: '', skip: frame.transform };
        lines.push(cur);
      } else if (size !== undefined) cur.size = Math.max(cur.size, frame.size ?? cur.size);
    }
  }
  return out;
}
