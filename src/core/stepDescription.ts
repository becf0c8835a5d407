/**
 * Walkthrough step descriptions: VS Code shows a step's description in its own small Markdown
 * dialect (each line a paragraph, a line that is only a link a button, doubled markers for code,
 * bold and italic). This translates the Markdown we write into it and says what it cannot show.
 * Pure; used by ./walkthroughGen.ts.
 */

const LINK_ONLY = /^\[[^\]]+\]\([^)\s]+\)$/;
const LIST_ITEM = /^(?:[-*+]|\d+[.)])\s+/;

/**
 * Markdown inline formatting in VS Code's step-description syntax: VS Code renders
 * ``code`` (double backticks), __italic__ and **bold** (doubled markers only), so
 * `code` becomes ``code``, *italic* and _italic_ become __italic__, and Markdown's __bold__
 * becomes **bold**. Links are kept as they are.
 */
export function toVsCodeInline(text: string): string {
  let out = '';
  let i = 0;
  const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
  const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch === '`') {
      const run = /^`+/.exec(text.slice(i))![0];
      const close = text.indexOf(run, i + run.length);
      if (close > i + run.length && text[close + run.length] !== '`') {
        out += `\`\`${text.slice(i + run.length, close).trim()}\`\``;
        i = close + run.length;
      } else {
        out += run;
        i += run.length;
      }
      continue;
    }
    if (ch === '[') {
      const link = /^\[[^\]]*\]\([^)\s]*\)/.exec(text.slice(i));
      if (link) {
        out += link[0];
        i += link[0].length;
        continue;
      }
    }
    if (ch === '*' || ch === '_') {
      const double = text[i + 1] === ch;
      const marker = double ? ch + ch : ch;
      const start = i + marker.length;
      const opens = !isSpace(text[start]) && !(ch === '_' && isWord(text[i - 1]));
      let close = -1;
      if (opens) {
        for (let j = start + 1; j <= text.length - marker.length; j++) {
          if (text.startsWith(marker, j) && !isSpace(text[j - 1]) && (double || text[j + 1] !== ch) && !(ch === '_' && isWord(text[j + marker.length]))) {
            close = j;
            break;
          }
        }
      }
      if (close > 0) {
        const wrap = double ? '**' : '__';
        out += wrap + toVsCodeInline(text.slice(start, close)) + wrap;
        i = close + marker.length;
        continue;
      }
    }
    out += ch;
    i += 1;
  }
  return out;
}

/**
 * A step description as VS Code shows it: every non-empty line is a paragraph and a line that
 * is only a link is a button. Soft-wrapped source lines are joined; list items and links on
 * their own line stay separate lines; inline formatting is translated (toVsCodeInline).
 */
export function toStepDescription(body: string): string {
  const out: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) out.push(toVsCodeInline(current.join(' ')));
    current = [];
  };
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) {
      flush();
      continue;
    }
    if (LINK_ONLY.test(line)) {
      flush();
      out.push(line);
      continue;
    }
    if (LIST_ITEM.test(line)) {
      flush();
      out.push(toVsCodeInline(line));
      continue;
    }
    current.push(line);
  }
  flush();
  return out.join('\n');
}

/** What a step description cannot hold (VS Code renders only text, links, code spans, bold, italic). */
export function descriptionProblems(body: string, bodyLine: number): string[] {
  const problems: string[] = [];
  let fence = false;
  body.split(/\r?\n/).forEach((line, i) => {
    const where = `line ${bodyLine + i}`;
    if (/^\s*(```|~~~)/.test(line)) {
      if (!fence) problems.push(`${where}: code blocks are not shown in a step description; use a markdown media file`);
      fence = !fence;
    } else if (!fence && /^\s*#{1,6}\s/.test(line)) problems.push(`${where}: headings are not shown in a step description`);
    else if (!fence && /!\[[^\]]*\]\(/.test(line)) problems.push(`${where}: images are not shown in a step description; use "svg" or "image" media`);
  });
  return problems;
}
