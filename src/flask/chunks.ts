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
  let quote = 0; // the open string's quote character (a code), or 0
  let triple = false; // the open string is triple-quoted
  let continued = false; // the previous line ended with a backslash outside a string
  let decorated = false; // the last statement started at column 0 was a decorator
  let line = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // At the start of a line: does a new top-level statement begin here?
    if (!quote && depth === 0 && !continued) {
      const c = text.charCodeAt(i);
      if (c !== SPACE && c !== TAB && c !== LF && c !== CR && c !== HASH && c !== FF) {
        if (!decorated && !CONTINUES.test(text.slice(i, i + 8))) starts.push({ offset: i, line });
        decorated = c === AT;
      }
    }
    continued = false;
    // Read the rest of the line.
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (quote) {
        if (c === BACKSLASH) {
          if (text.charCodeAt(i + 1) === LF) line++;
          i++;
        } else if (c === quote && (!triple || (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote))) {
          if (triple) i += 2;
          quote = 0;
        } else if (c === LF) {
          line++;
          // A one-quote string ends at the end of its line (an unterminated string is an error
          // of that statement, not of the rest of the file).
          if (triple) continue;
          quote = 0;
          i++;
          break;
        }
      } else if (c === HASH) {
        const end = text.indexOf('\n', i);
        i = (end < 0 ? n : end) - 1;
      } else if (c === DQUOTE || c === SQUOTE) {
        quote = c;
        triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
        if (triple) i += 2;
      } else if (c === LPAREN || c === LBRACKET || c === LBRACE) depth++;
      else if (c === RPAREN || c === RBRACKET || c === RBRACE) depth = depth > 0 ? depth - 1 : 0;
      else if (c === BACKSLASH && (text.charCodeAt(i + 1) === LF || (text.charCodeAt(i + 1) === CR && text.charCodeAt(i + 2) === LF))) {
        continued = true;
        line++;
        i += text.charCodeAt(i + 1) === LF ? 2 : 3;
        break;
      } else if (c === LF) {
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

const [SPACE, TAB, LF, CR, FF, HASH, AT, BACKSLASH, DQUOTE, SQUOTE] = [' ', '\t', '\n', '\r', '\f', '#', '@', '\\', '"', "'"].map((c) => c.charCodeAt(0));
const [LPAREN, LBRACKET, LBRACE, RPAREN, RBRACKET, RBRACE] = ['(', '[', '{', ')', ']', '}'].map((c) => c.charCodeAt(0));
