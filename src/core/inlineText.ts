/**
 * The text VS Code shows after a failing line of code (the inline test message) is the first
 * 128 characters of the message with its line breaks as spaces (VS Code 1.139,
 * testingDecorations). A message whose first sentence quotes data (a JSON body, a list) is cut
 * inside the data there (`…got '{"error":{"code":500,"message":"Internal serv…`), so the learner
 * reads half a value instead of what went wrong.
 *
 * `withInlineSummary` gives such a message a first line of its own: its first sentence with every
 * long quoted value shortened (`'{"error":{"code":…}'`), cut at a word if it is still too long;
 * the whole message follows unchanged (the peek and the diff keep the data). Messages whose first
 * sentence fits are returned as they are. Pure: no `vscode`.
 */

/** Characters of a message VS Code shows inline. */
export const INLINE_LIMIT = 128;

/** Characters of a long quoted value kept in the summary. */
const KEEP = 14;

const CLOSE: Record<string, string> = { '[': ']', '{': '}', "'": "'", '"': '"' };

/** Index just past the literal opening at `start` (a quote or a bracket), or -1 if unclosed. */
function literalEnd(text: string, start: number): number {
  const open = text[start];
  if (open === "'" || open === '"') {
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === open && !/[\p{L}\p{N}]/u.test(text[i + 1] ?? '')) return i + 1;
    }
    return -1;
  }
  const stack = [CLOSE[open]];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = literalEnd(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === '[' || c === '{') stack.push(CLOSE[c]);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (!stack.length) return i + 1;
    }
  }
  return -1;
}

/** `text` with every quoted or bracketed value longer than a few words shortened to its start. */
export function shortenValues(text: string, keep = KEEP): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const opensValue = c in CLOSE && (c === '[' || c === '{' || !/[\p{L}\p{N}]/u.test(text[i - 1] ?? ''));
    const end = opensValue ? literalEnd(text, i) : -1;
    if (end < 0) {
      out += c;
      continue;
    }
    const inner = text.slice(i + 1, end - 1);
    out += inner.length > keep + 6 ? `${c}${inner.slice(0, keep)}…${text[end - 1]}` : text.slice(i, end);
    i = end - 1;
  }
  return out;
}

/** The first sentence of one line: up to a ".", "!" or "?" followed by a space and more, or the end. */
function firstSentence(line: string): string {
  const m = /[.!?](?=\s+\S)/.exec(line);
  return m ? line.slice(0, m.index + 1) : line;
}

/** Cuts `text` to `limit` characters at a word, with an ellipsis. */
function cutAtWord(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const head = text.slice(0, limit - 1);
  const space = head.lastIndexOf(' ');
  return `${(space > limit / 2 ? head.slice(0, space) : head).replace(/[\s,;:]+$/, '')}…`;
}

/** The line to show inline for `text` when its own first sentence does not fit; else undefined. */
export function inlineSummary(text: string, limit = INLINE_LIMIT): string | undefined {
  const flat = text.trim().replace(/\r?\n\s*/g, ' ');
  // What VS Code shows already holds a whole sentence: nothing to do.
  if (flat.length <= limit) return undefined;
  const shortened = shortenValues(text.trim().split(/\r?\n/)[0]);
  const sentence = firstSentence(shortened);
  if (firstSentence(flat).length <= limit && sentence === firstSentence(flat)) return undefined;
  return cutAtWord(sentence, limit);
}

/** The message text for the Testing view: the summary line first when one is needed. */
export function withInlineSummary(text: string, limit = INLINE_LIMIT): string {
  const summary = inlineSummary(text, limit);
  return summary ? `${summary}\n\n${text}` : text;
}

/**
 * VS Code 1.139 draws a failure after its line of code as `actual != expected` (each cut at 30
 * characters) when a message has both sides, and as the message's first line otherwise. Short
 * values read well that way ("404 NOT FOUND != 200 OK"); long or multi-line ones (a JSON body)
 * come out as two half values. Then the failure is told in two messages: the sentence at the
 * learner's line (what is drawn there), and the diff with the whole data, without a location
 * (in the peek and the Test Results view).
 */
export const INLINE_VALUE_LIMIT = 30;

export interface InlineParts {
  /** The message drawn at the line: the sentence, with a shortened first line when needed. */
  inline: { text: string; expected?: string; actual?: string };
  /** The data, when it does not read well inline. */
  data?: { text: string; expected: string; actual: string };
}

export function splitForInline(m: { text: string; expected?: string; actual?: string }): InlineParts {
  const readable = (v: string) => v.length <= INLINE_VALUE_LIMIT && !/\r?\n/.test(v);
  if (m.expected === undefined || m.actual === undefined) return { inline: { text: withInlineSummary(m.text) } };
  if (readable(m.expected) && readable(m.actual)) return { inline: { text: m.text, expected: m.expected, actual: m.actual } };
  return { inline: { text: withInlineSummary(m.text) }, data: { text: m.text, expected: m.expected, actual: m.actual } };
}
