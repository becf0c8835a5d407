/**
 * Finds the checks (pytest test functions) in a check file without running Python, so the
 * Test Explorer can show them before anything runs. Handles top-level `def test_*`, methods of
 * `class Test*`, decorators, and takes the label from the first docstring line.
 */
export interface ParsedCheck {
  /** pytest's name inside the file: `test_x` or `TestClass::test_x`. */
  name: string;
  /** Label for people: the docstring's first line, else the name made readable. */
  label: string;
  /** 0-based line range, from the first decorator (or def) to the last line of the body. */
  startLine: number;
  endLine: number;
}

const DEF = /^(\s*)(?:async\s+)?def\s+(test\w*)\s*\(/;
const CLASS = /^class\s+(Test\w*)\s*[(:]/;
const DOCSTRING_START = /^\s*[rRuU]?("""|'''|"|')/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function isBlankOrComment(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

/** Turns `test_home_returns_200` into `home returns 200`. */
export function readableName(name: string): string {
  const base = name.replace(/^test_?/, '').replace(/_/g, ' ').trim();
  return base || name;
}

function docstringFirstLine(lines: string[], from: number): string | undefined {
  let i = from;
  while (i < lines.length && isBlankOrComment(lines[i])) i++;
  if (i >= lines.length) return undefined;
  const m = DOCSTRING_START.exec(lines[i]);
  if (!m) return undefined;
  const quote = m[1];
  let rest = lines[i].slice(lines[i].indexOf(quote) + quote.length);
  // The text may start on the next line: """\n    Text\n"""
  for (;;) {
    const end = rest.indexOf(quote);
    const text = (end >= 0 ? rest.slice(0, end) : rest).trim();
    if (text) return text;
    if (end >= 0 || quote.length === 1) return undefined;
    i++;
    if (i >= lines.length) return undefined;
    rest = lines[i];
  }
}

/** Last line (0-based) of the block that starts at `start` with the given indentation. */
function blockEnd(lines: string[], start: number, indent: number): number {
  let last = start;
  for (let i = start + 1; i < lines.length; i++) {
    if (isBlankOrComment(lines[i])) continue;
    if (indentOf(lines[i]) <= indent) break;
    last = i;
  }
  return last;
}

export function parseChecks(source: string): ParsedCheck[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const checks: ParsedCheck[] = [];
  let currentClass: { name: string; end: number; bodyIndent: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (currentClass && i > currentClass.end) currentClass = undefined;
    const cls = CLASS.exec(line);
    if (cls) {
      let body = i + 1;
      while (body < lines.length && isBlankOrComment(lines[body])) body++;
      currentClass = { name: cls[1], end: blockEnd(lines, i, 0), bodyIndent: body < lines.length ? indentOf(lines[body]) : 4 };
      continue;
    }
    const def = DEF.exec(line);
    if (!def) continue;
    const indent = def[1].length;
    let owner: string | undefined;
    if (indent === 0) owner = undefined;
    else if (currentClass && indent === currentClass.bodyIndent) owner = currentClass.name;
    else continue; // a nested function is not a test
    let start = i;
    while (start > 0 && lines[start - 1].trim().startsWith('@') && indentOf(lines[start - 1]) === indent) start--;
    // The signature may span lines; the body starts after the line ending with ':'.
    let bodyStart = i;
    while (bodyStart < lines.length && !/\)\s*(->[^:]*)?:\s*(#.*)?$/.test(lines[bodyStart])) bodyStart++;
    const end = blockEnd(lines, Math.min(bodyStart, lines.length - 1), indent);
    const name = owner ? `${owner}::${def[2]}` : def[2];
    const doc = docstringFirstLine(lines, bodyStart + 1);
    checks.push({ name, label: doc ?? readableName(def[2]), startLine: start, endLine: end });
  }
  return checks;
}
