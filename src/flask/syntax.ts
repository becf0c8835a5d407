/**
 * The Python and Jinja syntax the Flask analysis reads, and the few tree helpers it needs.
 * Python is parsed by tree-sitter (web-tree-sitter + tree-sitter-python, WASM, incremental);
 * positions are 0-based lines and UTF-16 columns, as in LSP. Pure: no `vscode`, no LSP types.
 */
import type { Parser as TsParser, Point, Tree } from 'web-tree-sitter';

export type { Tree };

/**
 * A node of a Python syntax tree, as the analysis reads it: a tree-sitter node (web-tree-sitter),
 * or a node of src/flask/pyparse.ts, which builds the same trees for the statements it knows.
 */
export interface Node {
  readonly id: number;
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly parent: Node | null;
  readonly namedChildren: (Node | null)[];
  readonly lastNamedChild: Node | null;
  childForFieldName(name: string): Node | null;
  descendantsOfType(types: string | string[]): (Node | null)[];
}

export interface Position {
  line: number;
  character: number;
}

export interface Span {
  start: Position;
  end: Position;
}

export const pos = (p: Point): Position => ({ line: p.row, character: p.column });
export const spanOf = (n: Node): Span => ({ start: pos(n.startPosition), end: pos(n.endPosition) });

/** The Python parser, once per process: `init` with the folder holding the two WASM files. */
export interface PythonParser {
  parse(text: string, previous?: Tree): Tree;
}

let loaded: Promise<PythonParser> | undefined;

/**
 * Loads web-tree-sitter and the Python grammar. `wasmDir` holds `tree-sitter.wasm` and
 * `tree-sitter-python.wasm` (dist/ in the package; node_modules in tests).
 */
export function loadPythonParser(runtimeWasm: string, pythonWasm: string): Promise<PythonParser> {
  loaded ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Parser, Language } = require('web-tree-sitter') as typeof import('web-tree-sitter');
    await Parser.init({ locateFile: () => runtimeWasm });
    const language = await Language.load(pythonWasm);
    const parser: TsParser = new Parser();
    parser.setLanguage(language);
    return {
      parse: (text: string, previous?: Tree) => {
        const tree = parser.parse(text, previous);
        if (!tree) throw new Error('tree-sitter returned no tree');
        return tree;
      },
    };
  })();
  return loaded;
}

const PLAIN_STRING = /^[rRuUbB]{0,2}("""|'''|"|')([\s\S]*)\1$/;

/** The value of a plain string literal (no f-string interpolation, no implicit concatenation). */
export function stringValue(n: Node | null | undefined): string | undefined {
  if (!n || n.type !== 'string') return undefined;
  // Not an f-string: the text between the quotes, read from the source (one call into WASM
  // instead of one per child; escapes stay as written, as below).
  const plain = PLAIN_STRING.exec(n.text);
  if (plain) return plain[2];
  if (n.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  const content = n.namedChildren.filter((c) => c?.type === 'string_content' || c?.type === 'escape_sequence');
  return content.map((c) => c!.text).join('');
}

const QUOTES = /^[A-Za-z]{0,2}("""|'''|"|')/;

/** The span of a string literal's content (inside the quotes). */
export function stringContentSpan(n: Node): Span {
  // From the literal's text: the opening quote is on its first line, the closing one on its last
  // (two calls into WASM instead of one per child and position).
  const text = n.text;
  const open = QUOTES.exec(text);
  if (open && text.length >= open[0].length + open[1].length && text.endsWith(open[1])) {
    const end = n.endPosition;
    return {
      start: { line: n.startPosition.row, character: n.startPosition.column + open[0].length },
      end: { line: end.row, character: end.column - open[1].length },
    };
  }
  const start = n.namedChildren.find((c) => c?.type === 'string_start');
  const end = n.namedChildren.find((c) => c?.type === 'string_end');
  return { start: pos((start ?? n).endPosition), end: pos((end ?? n).startPosition) };
}

/** Whether the string literal is an f-string, or built with interpolation. */
export const isFString = (n: Node): boolean => n.type === 'string' && n.namedChildren.some((c) => c?.type === 'interpolation');

export function children(n: Node | null | undefined): Node[] {
  return (n?.namedChildren ?? []).filter((c): c is Node => !!c);
}

export function descendants(n: Node, types: string | string[]): Node[] {
  return n.descendantsOfType(types).filter((c): c is Node => !!c);
}

/** Positional arguments and keyword arguments of a call's argument_list. */
export function callArguments(call: Node): { positional: Node[]; keywords: Map<string, Node>; splat: boolean } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  let splat = false;
  for (const a of children(call.childForFieldName('arguments'))) {
    const type = a.type; // each read crosses into WASM
    if (type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name && value) keywords.set(name, value);
    } else if (type === 'dictionary_splat' || type === 'list_splat') splat = true;
    else if (type !== 'comment') positional.push(a);
  }
  return { positional, keywords, splat };
}

/** Callee names already read, per call node (the index and every rule ask for them). */
const callees = new WeakMap<Node, string>();

/** `a.b.c` of a call's function, as text ("app.route", "url_for", "db.session.execute"). */
export function calleeName(call: Node): string {
  let name = callees.get(call);
  if (name === undefined) {
    name = call.childForFieldName('function')?.text ?? '';
    callees.set(call, name);
  }
  return name;
}

/** A dotted name directly followed by "(" at the start of the text. */
const DOTTED_CALL = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?=\()/;

/**
 * Reads the callee names of `calls` (document order, as `collect` gives them) from the source
 * text where that is certain: a dotted name right before "(" at the call's start, when no other
 * call starts there (`a(x).b(y)` starts where `a(x)` does: its callee is not a plain name). The
 * others are read from the tree when asked.
 */
function primeCallees(calls: Node[], source: string | undefined): void {
  if (source === undefined) return;
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i];
    if (i + 1 < calls.length && calls[i + 1].startIndex === call.startIndex) continue;
    const m = DOTTED_CALL.exec(source.slice(call.startIndex, call.startIndex + 200));
    if (m) callees.set(call, m[0]);
  }
}

/**
 * The innermost function_definition around `n`, if any. With `functions` (every
 * function_definition of the statement, document order, as `collect` gives them) it is found
 * from their extents, without walking up the tree node by node.
 */
export function enclosingFunction(n: Node, functions?: Node[]): Node | undefined {
  if (functions) {
    const at = n.startIndex;
    let found: Node | undefined;
    for (const fn of functions) {
      if (fn.startIndex >= at) break;
      if (at < endOf(fn)) found = fn; // later ones are nested deeper
    }
    return found;
  }
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}

const ends = new WeakMap<Node, number>();

/** A node's end offset, read from WASM once per node object. */
export function endOf(n: Node): number {
  let end = ends.get(n);
  if (end === undefined) {
    end = n.endIndex;
    ends.set(n, end);
  }
  return end;
}

/** Whether `n` sits inside `if __name__ == "__main__":`. */
export function underMainGuard(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'if_statement' && /__name__/.test(p.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}

/** The node types the analysis reads, gathered by one walk of a statement. */
export const COLLECTED = ['call', 'decorated_definition', 'function_definition', 'class_definition', 'lambda', 'assignment', 'return_statement', 'yield'] as const;

export type Collected = Record<(typeof COLLECTED)[number], Node[]>;

/**
 * Every node of the COLLECTED types in `root` (itself included), by type, in document order:
 * one walk in WASM instead of one per question (each walk crosses into WASM for every node).
 * `source`: the text the tree was parsed from, to read plain callee names without the tree.
 */
export function collect(root: Node, source?: string): Collected {
  const out = Object.fromEntries(COLLECTED.map((t) => [t, [] as Node[]])) as Collected;
  const all = root.descendantsOfType([...COLLECTED]);
  const rootType = root.type;
  if ((COLLECTED as readonly string[]).includes(rootType)) {
    const rootEnd = root.endIndex;
    const selfIncluded = all.some((n) => n && n.startIndex === root.startIndex && n.endIndex === rootEnd && n.type === rootType);
    if (!selfIncluded) out[rootType as (typeof COLLECTED)[number]].push(root);
  }
  for (const n of all) if (n) out[n.type as (typeof COLLECTED)[number]]?.push(n);
  primeCallees(out.call, source);
  return out;
}

/** Index of the first node of `sorted` (document order) starting at or after `offset`. */
function lowerBound(sorted: Node[], offset: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].startIndex < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Nodes of `nodes` (document order) inside `fn` itself, not inside a function, class or lambda
 * nested in it (`scopes`, document order). Binary searches: no walk over the whole file per call.
 */
export function ownedBy(fn: Node, nodes: Node[], scopes: Node[]): Node[] {
  const [start, end] = [fn.startIndex, endOf(fn)];
  const nested: [number, number][] = [];
  for (let i = lowerBound(scopes, start); i < scopes.length && scopes[i].startIndex < end; i++) {
    const n = scopes[i];
    if (n.startIndex !== start || endOf(n) !== end) nested.push([n.startIndex, endOf(n)]);
  }
  const out: Node[] = [];
  for (let i = lowerBound(nodes, start + 1); i < nodes.length && nodes[i].startIndex < end; i++) {
    const at = nodes[i].startIndex;
    if (!nested.some(([a, b]) => at > a && at < b)) out.push(nodes[i]);
  }
  return out;
}
