/**
 * A Python file cut into its top-level statements by a small tokenizer (strings, comments,
 * brackets, line continuations), without parsing: each piece is then parsed on its own. An edit
 * re-parses only the statement it touched (tree-sitter's incremental parse of a whole module
 * re-reads thousands of lines after an edit between two top-level statements), and no tree of
 * the whole file is ever kept, so the parser's memory stays that of one statement.
 * Pure: no `vscode`, no LSP types, no tree-sitter.
 */

export interface Chunk {
  /** 0-based line of the chunk's first character (always at column 0). */
  line: number;
  /** Offset of the chunk's first character in the file. */
  offset: number;
  text: string;
}

/** Clauses that continue the statement above them at column 0 (`else:` of a top-level `if`). */
const CONTINUES = /^(else|elif|except|finally)\b/;

/**
 * The file's top-level statements, each with the comments and blank lines after it; decorators
 * stay with their definition and `else`/`elif`/`except`/`finally` with their statement. Text
 * before the first statement (a header comment) is a chunk of its own. The chunks' texts joined
 * are the file's text.
 */
export function splitTopLevel(text: string): Chunk[] {
  const starts: { offset: number; line: number }[] = [];
  let depth = 0;
  let quote = ''; // the open string's delimiter: ', ", ''' or """
  let continued = false; // the previous line ended with a backslash outside a string
  let decorated = false; // the last statement started at column 0 was a decorator
  let line = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // At the start of a line: does a new top-level statement begin here?
    if (!quote && depth === 0 && !continued) {
      const c = text[i];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== '#' && c !== '\f') {
        const rest = text.slice(i, i + 8);
        if (!decorated && !CONTINUES.test(rest)) starts.push({ offset: i, line });
        decorated = c === '@';
      }
    }
    continued = false;
    // Read the rest of the line.
    for (; i < n; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\') {
          if (text[i + 1] === '\n') line++;
          i++;
        } else if (text.startsWith(quote, i)) {
          i += quote.length - 1;
          quote = '';
        } else if (c === '\n') {
          line++;
          // A one-quote string ends at the end of its line (an unterminated string is an error
          // of that statement, not of the rest of the file).
          if (quote.length === 1) quote = '';
          else continue;
          i++;
          break;
        }
      } else if (c === '#') {
        while (i < n && text[i] !== '\n') i++;
        i--;
      } else if (c === '"' || c === "'") {
        quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
        i += quote.length - 1;
      } else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      else if (c === '\\' && text[i + 1] === '\n') {
        continued = true;
        line++;
        i += 2;
        break;
      } else if (c === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') {
        continued = true;
        line++;
        i += 3;
        break;
      } else if (c === '\n') {
        line++;
        i++;
        break;
      }
    }
  }
  const chunks: Chunk[] = [];
  if (!starts.length || starts[0].offset > 0) chunks.push({ line: 0, offset: 0, text: text.slice(0, starts[0]?.offset ?? n) });
  starts.forEach((s, k) => chunks.push({ line: s.line, offset: s.offset, text: text.slice(s.offset, starts[k + 1]?.offset ?? n) }));
  return chunks.filter((c) => c.text.length > 0 || chunks.length === 1);
}
