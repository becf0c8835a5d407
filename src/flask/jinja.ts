/**
 * What a Jinja template names: endpoints in `url_for(...)` and templates in `{% extends %}`,
 * `{% include %}`, `{% import %}`, `{% from ... import %}`; its blocks. A small scanner of
 * Jinja's own delimiters (`{{ }}`, `{% %}`, `{# #}`), not an HTML parser: text outside the
 * delimiters is never read. Pure: no `vscode`, no LSP types.
 */
import type { Position, Span } from './syntax';
import { lineStarts, positionIn } from './lines';

export interface JinjaRef {
  kind: 'endpoint' | 'template';
  name: string;
  /** The literal's content, inside the quotes. */
  span: Span;
  /** For url_for: the keyword arguments written. */
  keywords?: string[];
}

export interface JinjaIndex {
  refs: JinjaRef[];
  blocks: { name: string; span: Span }[];
  /** `{{ request.… | safe }}`: what a visitor sent, printed unescaped. */
  unsafe: { text: string; span: Span }[];
}

/** Line/character of each offset, from the line starts of `text`. */
function locator(text: string): (offset: number) => Position {
  const starts = lineStarts(text);
  return (offset) => positionIn(starts, offset);
}

const TAG = /\{%-?\s*(extends|include|import|from)\s+(['"])([^'"]*)\2/g;
// The endpoint only when it is a whole string literal: `url_for('admin.' ~ action)` names none.
const URL_FOR = /\burl_for\(\s*(['"])([^'"]*)\1(?=\s*[,)])([^)]*)\)?/g;
const BLOCK = /\{%-?\s*block\s+(\w+)/g;

export function indexJinja(text: string): JinjaIndex {
  const at = locator(text);
  const refs: JinjaRef[] = [];
  const blocks: JinjaIndex['blocks'] = [];
  const unsafe: JinjaIndex['unsafe'] = [];
  // Only inside Jinja's delimiters; comments are skipped.
  for (const region of text.matchAll(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g)) {
    const base = region.index ?? 0;
    const body = region[0];
    for (const m of body.matchAll(TAG)) {
      const start = base + (m.index ?? 0) + m[0].length - 1 - m[3].length;
      refs.push({ kind: 'template', name: m[3], span: { start: at(start), end: at(start + m[3].length) } });
    }
    for (const m of body.matchAll(URL_FOR)) {
      const start = base + (m.index ?? 0) + m[0].indexOf(m[1]) + 1;
      const keywords = [...(m[3] ?? '').matchAll(/(\w+)\s*=/g)].map((k) => k[1]).filter((k) => !k.startsWith('_'));
      refs.push({ kind: 'endpoint', name: m[2], span: { start: at(start), end: at(start + m[2].length) }, keywords });
    }
    if (body.startsWith('{{') && /\brequest\.[\s\S]*\|\s*safe\b/.test(body)) {
      unsafe.push({ text: body.replace(/\s+/g, ' '), span: { start: at(base), end: at(base + body.length) } });
    }
    for (const m of body.matchAll(BLOCK)) {
      const start = base + (m.index ?? 0) + m[0].length - m[1].length;
      blocks.push({ name: m[1], span: { start: at(start), end: at(start + m[1].length) } });
    }
  }
  return { refs, blocks, unsafe };
}

/** What the text before the cursor is in the middle of typing, for completion. */
export type TypingContext =
  | { kind: 'endpoint'; typed: string }
  | { kind: 'url-param'; endpoint: string; typed: string }
  | { kind: 'template'; typed: string }
  | { kind: 'block'; typed: string };

/** From the text of the line up to the cursor, in Python or in Jinja. */
export function typingContext(before: string): TypingContext | undefined {
  let m = /\burl_for\(\s*['"]([\w.]*)$/.exec(before);
  if (m) return { kind: 'endpoint', typed: m[1] };
  m = /\burl_for\(\s*['"]([\w.]+)['"]\s*,(?:[^()]*,)?\s*(\w*)$/.exec(before);
  if (m) return { kind: 'url-param', endpoint: m[1], typed: m[2] };
  m = /\b(?:render_template|render_template_string|get_template|select_template)\(\s*\[?\s*['"]([^'"]*)$/.exec(before) ?? /\{%-?\s*(?:extends|include|import|from)\s+['"]([^'"]*)$/.exec(before);
  if (m) return { kind: 'template', typed: m[1] };
  m = /\{%-?\s*block\s+(\w*)$/.exec(before);
  if (m) return { kind: 'block', typed: m[1] };
  return undefined;
}
