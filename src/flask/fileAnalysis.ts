/**
 * A Python file analysed statement by statement, with a cache: after an edit only the top-level
 * statements whose text changed are read again (a view being typed, not the 400 others); the
 * others' results are reused, moved to their new lines. Keeps re-analysis of a large file within
 * a few milliseconds. Pure: no `vscode`, no LSP types.
 */
import { indexNode, mergeIndexes, PyFileIndex } from './pyIndex';
import { FlaskDiagnostic, statementDiagnostics } from './rules';
import { splitTopLevel } from './chunks';
import { parsePython } from './pyparse';
import { collect, type Node, type PythonParser } from './syntax';

interface Entry {
  /** The line the statement started on when it was analysed. */
  line: number;
  index: PyFileIndex;
  local: FlaskDiagnostic[];
}

/** A copy of `value` with every position's line moved by `delta` (a position: `{line, character}`). */
export function shiftLines<T>(value: T, delta: number): T {
  return delta ? shift(value, delta) : value;
}

function shift<T>(value: T, delta: number): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = shift(value[i], delta);
    return out as T;
  }
  const o = value as Record<string, unknown>;
  if (typeof o.line === 'number' && typeof o.character === 'number') return { line: o.line + delta, character: o.character } as T;
  const out: Record<string, unknown> = {};
  for (const k in o) out[k] = shift(o[k], delta);
  return out as T;
}

/**
 * Statements read in any file of this process, by text, least recently used first: the index of
 * the workspace reads every file at start, so opening one of them reads nothing again, and two
 * files sharing a statement read it once. Entries are never changed (moving one copies it), so
 * sharing them is safe. Bounded by the text it keeps.
 */
const shared = new Map<string, Entry>();
let sharedChars = 0;
const SHARED_MAX_CHARS = 250_000;

/** Keeps a statement just read (never one already kept: `analyse` looks there first). */
function remember(text: string, entry: Entry): void {
  sharedChars += text.length;
  shared.set(text, entry);
  for (const [key] of shared) {
    if (sharedChars <= SHARED_MAX_CHARS) break;
    shared.delete(key);
    sharedChars -= key.length;
  }
}

/** Forgets every statement read (tests and benchmarks that measure a first analysis). */
export function clearSharedStatements(): void {
  shared.clear();
  sharedChars = 0;
}

export class PythonFileAnalyzer {
  private cache = new Map<string, Entry>();
  /** Statements parsed and read (not taken from the cache) by the last `analyse`: for tests and benchmarks. */
  lastRead = 0;

  /**
   * The file's index and the diagnostics read from its syntax (not those needing the workspace).
   * Each top-level statement (src/flask/chunks.ts) is parsed on its own, only when its text is
   * new: an edit costs the parse and analysis of the statement it touched.
   */
  analyse(text: string, parser: PythonParser): { index: PyFileIndex; local: FlaskDiagnostic[] } {
    const next = new Map<string, Entry>();
    const parts: PyFileIndex[] = [];
    const local: FlaskDiagnostic[] = [];
    this.lastRead = 0;
    for (const chunk of splitTopLevel(text)) {
      // Same text means the same facts, wherever the statement moved.
      let entry = next.get(chunk.text) ?? this.cache.get(chunk.text) ?? shared.get(chunk.text);
      if (!entry) {
        // Kept at the line it was read on: the file's index and the shared cache hold one copy.
        const read = readChunk(chunk.text, parser);
        entry = { line: chunk.line, index: shiftLines(read.index, chunk.line), local: shiftLines(read.local, chunk.line) };
        this.lastRead++;
        remember(chunk.text, entry);
      }
      const delta = chunk.line - entry.line;
      // Keep the entry at its new place: the next analysis shifts nothing that did not move.
      if (delta) entry = { line: chunk.line, index: shiftLines(entry.index, delta), local: shiftLines(entry.local, delta) };
      next.set(chunk.text, entry);
      parts.push(entry.index);
      local.push(...entry.local);
    }
    this.cache = next;
    return { index: mergeIndexes(parts), local };
  }
}

let fastParser = true;

/**
 * Whether statements are first given to the parser in plain TypeScript (src/flask/pyparse.ts,
 * tree-sitter for what it refuses), or all to tree-sitter: tests and benchmarks compare the two.
 */
export function useFastParser(on: boolean): void {
  fastParser = on;
}

/** Statements read by the fast parser and by tree-sitter, since the process started (for the log and benchmarks). */
export const parsedBy = { fast: 0, treeSitter: 0 };

/** The index and local diagnostics of one chunk of a file, with lines counted from its start. */
function readChunk(text: string, parser: PythonParser): { index: PyFileIndex; local: FlaskDiagnostic[] } {
  const fast = fastParser ? parsePython(text) : undefined;
  if (fast) {
    parsedBy.fast++;
    return readStatements(fast.namedChildren, text);
  }
  parsedBy.treeSitter++;
  const tree = parser.parse(text);
  try {
    return readStatements(tree.rootNode.namedChildren, text);
  } finally {
    tree.delete();
  }
}

/** The index and local diagnostics of a module's top-level statements. */
function readStatements(statements: (Node | null)[], text: string): { index: PyFileIndex; local: FlaskDiagnostic[] } {
  const parts: PyFileIndex[] = [];
  const local: FlaskDiagnostic[] = [];
  for (const node of statements) {
    if (!node || node.type === 'comment') continue;
    const nodes = collect(node, text);
    const index = indexNode(node, nodes);
    parts.push(index);
    local.push(...statementDiagnostics(node, index, nodes));
  }
  return { index: parts.length === 1 ? parts[0] : mergeIndexes(parts), local };
}

/** The index of a whole file, statement by statement (no tree of the whole file is kept). */
export function indexPythonText(text: string, parser: PythonParser): PyFileIndex {
  return new PythonFileAnalyzer().analyse(text, parser).index;
}
