/**
 * A Python parser in plain TypeScript that builds, for the statements it knows, the very tree
 * tree-sitter-python builds (node types, fields, extents, where comments go), and refuses the rest:
 * `parsePython` returns undefined for anything it is not sure of (a syntax error, a `match`
 * statement, a line continuation, an f-string with an escape...), and the caller parses that
 * statement with tree-sitter instead. Why: every property read of a tree-sitter node crosses into
 * WebAssembly (~1 µs each, ~40,000 for a dense 3,000-line file); these nodes are plain objects.
 * test/unit/pyparse.test.ts checks, over every Python file of the course, that each statement
 * parsed here gives node for node the tree tree-sitter gives.
 * Pure: no `vscode`, no LSP types, no tree-sitter.
 */

import { lineStarts, positionIn } from './lines';

export interface Point {
  row: number;
  column: number;
}

/** Thrown inside the parser when the text has something it does not handle; never escapes. */
const REFUSE = new Error('not handled by the fast parser');

let nextId = 1;

class Source {
  private starts: number[] | undefined;
  constructor(readonly text: string) {}
  point(offset: number): Point {
    const { line, character } = positionIn((this.starts ??= lineStarts(this.text)), offset);
    return { row: line, column: character };
  }
}

/** A node of the tree: the subset of web-tree-sitter's Node that the analysis reads. */
export class PyNode {
  readonly id = nextId++;
  parent: PyNode | null = null;
  readonly namedChildren: PyNode[] = [];
  /** The field this node fills in its parent, if any. */
  field: string | undefined;
  private fields: Record<string, PyNode> | undefined;

  constructor(
    private readonly source: Source,
    readonly type: string,
    public startIndex: number,
    public endIndex: number,
    readonly isNamed = true,
  ) {}

  get text(): string {
    return this.source.text.slice(this.startIndex, this.endIndex);
  }
  get startPosition(): Point {
    return this.source.point(this.startIndex);
  }
  get endPosition(): Point {
    return this.source.point(this.endIndex);
  }
  get lastNamedChild(): PyNode | null {
    return this.namedChildren[this.namedChildren.length - 1] ?? null;
  }
  childForFieldName(name: string): PyNode | null {
    return this.fields?.[name] ?? null;
  }
  /** Named descendants of these types, the node itself included, in document order. */
  descendantsOfType(types: string | readonly string[]): PyNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const out: PyNode[] = [];
    const visit = (n: PyNode) => {
      if (wanted.includes(n.type)) out.push(n);
      for (const c of n.namedChildren) visit(c);
    };
    visit(this);
    return out;
  }
  /** Adds a child (a named one to namedChildren; an anonymous one only as a field). */
  add(child: PyNode | undefined, field?: string): this {
    if (!child) return this;
    child.parent = this;
    if (field) {
      child.field = field;
      this.fields ??= {};
      this.fields[field] ??= child;
    }
    if (child.isNamed) this.namedChildren.push(child);
    return this;
  }
  /** Fields of this node (for the tests that compare trees). */
  fieldNames(): string[] {
    return Object.keys(this.fields ?? {});
  }
  /** Inserts a comment among the named children, in document order. */
  insert(comment: PyNode): void {
    comment.parent = this;
    let i = this.namedChildren.length;
    while (i > 0 && this.namedChildren[i - 1].startIndex > comment.startIndex) i--;
    this.namedChildren.splice(i, 0, comment);
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens

const enum K {
  Name,
  Number,
  String,
  Op,
  Newline,
  Indent,
  Dedent,
  End,
}

interface Token {
  k: K;
  /** The operator or name (for Name and Op). */
  v: string;
  s: number;
  e: number;
}

interface Comment {
  s: number;
  e: number;
}

const OPS = ['**=', '//=', '>>=', '<<=', '...', '->', ':=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', '<>'];
const SINGLE = new Set('+-*/%@&|^~<>()[]{},:.;='.split(''));
const NAME_START = /[A-Za-z_]/;
const NAME = /[A-Za-z_0-9]*/y;
const NUMBER = /(?:0[xX](?:_?[0-9A-Fa-f])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.)[jJlL]?/y;
const STRING_PREFIX = /[rRbBuUfF]{0,2}(?=["'])/y;

/**
 * The tokens of `text` from `start` to `end`, with INDENT, DEDENT and NEWLINE placed as
 * tree-sitter-python's scanner places them. `inner`: an f-string's interpolation (one expression,
 * as inside brackets: no lines, no indentation).
 */
function tokenize(text: string, start = 0, end = text.length, inner = false): { tokens: Token[]; comments: Comment[] } {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const indents = [0];
  let depth = inner ? 1 : 0;
  let i = start;
  const n = end;
  let lastEnd = 0; // end of the last real token
  let atLineStart = true;
  /** Comments since the last real token: a trailing one on its line, then own-line ones with their indent. */
  let pending: { c: Comment; indent: number; own: boolean }[] = [];
  const push = (k: K, v: string, s: number, e: number) => {
    tokens.push({ k, v, s, e });
    if (k !== K.Newline && k !== K.Indent && k !== K.Dedent) lastEnd = e;
  };
  /** Closes indentation levels for a line at `indent` (or the end), placing comments as tree-sitter's scanner does. */
  const dedentTo = (indent: number) => {
    let pos = lastEnd;
    for (const p of pending) {
      while (p.own && indent < indents[indents.length - 1] && p.indent < indents[indents.length - 1]) {
        indents.pop();
        push(K.Dedent, '', pos, pos);
      }
      pos = p.c.e;
    }
    while (indent < indents[indents.length - 1]) {
      indents.pop();
      push(K.Dedent, '', pos, pos);
    }
    if (indent !== indents[indents.length - 1]) throw REFUSE; // an indentation no block has
  };
  while (i < n) {
    if (atLineStart && depth === 0) {
      // Measure the indentation; blank and comment-only lines do not count.
      let indent = 0;
      let j = i;
      for (; j < n; j++) {
        const c = text[j];
        if (c === ' ') indent++;
        else if (c === '\t') indent += 8;
        else if (c === '\f' || c === '\r') indent = 0;
        else break;
      }
      if (j >= n) {
        i = j;
        break;
      }
      if (text[j] === '\n') {
        i = j + 1;
        continue;
      }
      if (text[j] === '#') {
        const end = lineEnd(text, j);
        const c = { s: j, e: end };
        comments.push(c);
        pending.push({ c, indent, own: true });
        i = end;
        continue;
      }
      if (text[j] === '\\') throw REFUSE;
      const top = indents[indents.length - 1];
      if (indent > top) {
        if (!tokens.length) throw REFUSE; // an indented first line
        indents.push(indent);
        push(K.Indent, '', lastEnd, lastEnd);
      } else if (indent < top) dedentTo(indent);
      pending = [];
      atLineStart = false;
      i = j;
    }
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\f' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\n') {
      i++;
      if (depth === 0) {
        const at = pending.length ? pending[pending.length - 1].c.e : lastEnd;
        push(K.Newline, '', at, at);
        atLineStart = true;
      }
      continue;
    }
    if (c === '#') {
      const end = lineEnd(text, i);
      const cm = { s: i, e: end };
      comments.push(cm);
      if (depth === 0) pending.push({ c: cm, indent: -1, own: false });
      i = end;
      continue;
    }
    if (c === '\\') throw REFUSE; // a line continuation: a node of its own in tree-sitter
    STRING_PREFIX.lastIndex = i;
    const prefix = STRING_PREFIX.exec(text);
    if (prefix) {
      const end = stringEnd(text, i + prefix[0].length, n);
      push(K.String, prefix[0], i, end);
      i = end;
      continue;
    }
    if (NAME_START.test(c)) {
      NAME.lastIndex = i + 1;
      NAME.exec(text);
      const end = NAME.lastIndex;
      if (end < n && text.charCodeAt(end) > 127) throw REFUSE; // a non-ASCII identifier
      push(K.Name, text.slice(i, end), i, end);
      i = end;
      continue;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && text[i + 1] >= '0' && text[i + 1] <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m || !m[0]) throw REFUSE;
      const end = i + m[0].length;
      if (end < n && /[\w.]/.test(text[end])) throw REFUSE;
      push(K.Number, m[0], i, end);
      i = end;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i)) ?? (SINGLE.has(c) ? c : undefined);
    if (!op) throw REFUSE; // `!`, `$`, a backtick, a non-ASCII character...
    if (op === '(' || op === '[' || op === '{') {
      if (++depth > 100) throw REFUSE; // nesting deeper than code is written: tree-sitter's
    } else if (op === ')' || op === ']' || op === '}') {
      if (depth === 0) throw REFUSE;
      depth--;
    }
    push(K.Op, op, i, i + op.length);
    i += op.length;
  }
  if (inner) {
    if (depth !== 1 || comments.length) throw REFUSE;
    tokens.push({ k: K.End, v: '', s: n, e: n });
    return { tokens, comments };
  }
  if (depth !== 0) throw REFUSE;
  const last = tokens[tokens.length - 1];
  if (last && last.k !== K.Newline && last.k !== K.Dedent) {
    const trailing = pending[pending.length - 1];
    const at = trailing && !trailing.own ? trailing.c.e : lastEnd;
    push(K.Newline, '', at, at);
  }
  dedentTo(0);
  tokens.push({ k: K.End, v: '', s: n, e: n });
  return { tokens, comments };
}

/** Where the comment starting at `from` ends: before the newline (a `\r` before it is the comment's, as in tree-sitter). */
function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/** The end of a string literal whose quote starts at `q` (before `limit`). */
function stringEnd(text: string, q: number, limit: number): number {
  const quote = text[q];
  const triple = text[q + 1] === quote && text[q + 2] === quote;
  let i = q + (triple ? 3 : 1);
  for (; i < limit; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === quote && (!triple || (text[i + 1] === quote && text[i + 2] === quote))) return i + (triple ? 3 : 1);
    else if (c === '\n' && !triple) throw REFUSE;
  }
  throw REFUSE;
}

// ---------------------------------------------------------------------------------------------
// The parser

const RESERVED = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);
const COMPARISON = new Set(['<', '<=', '==', '!=', '>=', '>', '<>', 'in', 'is', 'not']);
const AUGMENTED = new Set(['+=', '-=', '*=', '/=', '@=', '//=', '%=', '**=', '>>=', '<<=', '&=', '^=', '|=']);
/** Binary operators by tree-sitter-python's precedence, lowest first (`|` < `&` < `^` there). */
const BINARY: string[][] = [['|'], ['&'], ['^'], ['<<', '>>'], ['+', '-'], ['*', '@', '/', '%', '//']];
const ESCAPE_SEQUENCE = /\\(?:u[a-fA-F\d]{4}|U[a-fA-F\d]{8}|x[a-fA-F\d]{2}|\d{1,3}|\r?\n|['"abfrntv\\]|N\{[^}]+\})/y;

class Parser {
  private p = 0;
  constructor(
    private readonly src: Source,
    private readonly tokens: Token[],
  ) {}

  private at(k: K): boolean {
    return this.tokens[this.p].k === k;
  }
  atEnd(): boolean {
    return this.at(K.End);
  }
  private get t(): Token {
    return this.tokens[this.p];
  }
  private peek(k = 1): Token {
    return this.tokens[Math.min(this.p + k, this.tokens.length - 1)];
  }
  private is(v: string): boolean {
    const t = this.t;
    return (t.k === K.Op || t.k === K.Name) && t.v === v;
  }
  private eat(v: string): Token {
    if (!this.is(v)) throw REFUSE;
    return this.tokens[this.p++];
  }
  private take(): Token {
    return this.tokens[this.p++];
  }
  private node(type: string, s: number, e: number): PyNode {
    return new PyNode(this.src, type, s, e);
  }
  private anon(t: Token): PyNode {
    return new PyNode(this.src, t.v, t.s, t.e, false);
  }
  private get lastEnd(): number {
    for (let i = this.p - 1; i >= 0; i--) {
      const t = this.tokens[i];
      if (t.k !== K.Newline && t.k !== K.Indent && t.k !== K.Dedent) return t.e;
    }
    return 0;
  }

  module(): PyNode {
    const root = this.node('module', 0, this.src.text.length);
    while (!this.at(K.End)) {
      if (this.at(K.Newline)) {
        this.p++;
        continue;
      }
      for (const s of this.statement()) root.add(s);
    }
    return root;
  }

  /** One statement line: a compound statement, or simple statements separated by `;`. */
  private statement(): PyNode[] {
    const t = this.t;
    if (t.k === K.Indent || t.k === K.Dedent) throw REFUSE;
    if (t.k === K.Name) {
      switch (t.v) {
        case 'if':
          return [this.ifStatement()];
        case 'for':
          return [this.forStatement()];
        case 'while':
          return [this.whileStatement()];
        case 'try':
          return [this.tryStatement()];
        case 'with':
          return [this.withStatement()];
        case 'def':
          return [this.functionDefinition()];
        case 'class':
          return [this.classDefinition()];
        case 'async':
          if (this.peek().v === 'def') return [this.functionDefinition()];
          throw REFUSE;
        case 'match':
        case 'type':
        case 'print':
        case 'exec':
          // A soft keyword starting a statement of its own: left to tree-sitter (which reads even
          // `type(x).y = z` as a type alias statement).
          if (!['=', '.', '(', '[', ',', ':'].includes(this.peek().v) && !AUGMENTED.has(this.peek().v)) throw REFUSE;
          if (t.v === 'type' && (this.peek().v === '(' || this.peek().v === '[')) throw REFUSE;
      }
    }
    if (this.is('@')) return [this.decorated()];
    const out = [this.simpleStatement()];
    while (this.is(';')) {
      this.p++;
      if (this.at(K.Newline)) break;
      out.push(this.simpleStatement());
    }
    if (!this.at(K.Newline)) throw REFUSE;
    this.p++;
    return out;
  }

  private simpleStatement(): PyNode {
    const t = this.t;
    if (t.k === K.Name) {
      switch (t.v) {
        case 'return': {
          this.p++;
          const n = this.node('return_statement', t.s, t.e);
          if (!this.atStatementEnd()) n.add(this.expressions());
          n.endIndex = this.lastEnd;
          return n;
        }
        case 'pass':
        case 'break':
        case 'continue':
          this.p++;
          return this.node(`${t.v}_statement`, t.s, t.e);
        case 'raise': {
          this.p++;
          const n = this.node('raise_statement', t.s, t.e);
          if (!this.atStatementEnd()) n.add(this.expressions());
          if (this.is('from')) {
            this.p++;
            n.add(this.expression(), 'cause');
          }
          n.endIndex = this.lastEnd;
          return n;
        }
        case 'import':
          return this.importStatement();
        case 'from':
          return this.importFrom();
        case 'global':
        case 'nonlocal': {
          this.p++;
          const n = this.node(`${t.v}_statement`, t.s, t.e);
          n.add(this.identifier());
          while (this.is(',')) {
            this.p++;
            n.add(this.identifier());
          }
          n.endIndex = this.lastEnd;
          return n;
        }
        case 'del': {
          this.p++;
          const n = this.node('delete_statement', t.s, t.e);
          n.add(this.expressions());
          n.endIndex = this.lastEnd;
          return n;
        }
        case 'assert': {
          this.p++;
          const n = this.node('assert_statement', t.s, t.e);
          n.add(this.expression());
          while (this.is(',')) {
            this.p++;
            n.add(this.expression());
          }
          n.endIndex = this.lastEnd;
          return n;
        }
      }
    }
    return this.expressionStatement();
  }

  private atStatementEnd(): boolean {
    return this.at(K.Newline) || this.is(';') || this.is('from');
  }

  private expressionStatement(): PyNode {
    const start = this.t.s;
    const stmt = this.node('expression_statement', start, start);
    if (this.is('yield')) stmt.add(this.yieldExpression());
    else {
      const first = this.expressionsOrTargets();
      const assignment = this.assignmentTail(first);
      if (assignment) stmt.add(assignment);
      // `a, b` alone: the expressions are the statement's own children.
      else if (first.type === 'expression_list') for (const c of [...first.namedChildren]) stmt.add(c);
      else stmt.add(first);
    }
    stmt.endIndex = this.lastEnd;
    return stmt;
  }

  /** `= right`, `: type [= right]`, `op= right` after a left-hand side; undefined if none follows. */
  private assignmentTail(left: PyNode): PyNode | undefined {
    if (this.is('=') || this.is(':')) {
      const n = this.node('assignment', left.startIndex, left.endIndex);
      n.add(this.asPattern(left), 'left');
      if (this.is(':')) {
        if (left.type === 'pattern_list') throw REFUSE;
        this.p++;
        n.add(this.type(), 'type');
      }
      if (this.is('=')) {
        this.p++;
        n.add(this.rightHandSide(), 'right');
      }
      n.endIndex = this.lastEnd;
      return n;
    }
    if (this.at(K.Op) && AUGMENTED.has(this.t.v)) {
      const n = this.node('augmented_assignment', left.startIndex, left.endIndex);
      n.add(this.asPattern(left), 'left');
      n.add(this.anon(this.take()), 'operator');
      n.add(this.rightHandSide(), 'right');
      n.endIndex = this.lastEnd;
      return n;
    }
    return undefined;
  }

  private rightHandSide(): PyNode {
    if (this.is('yield')) return this.yieldExpression();
    const value = this.expressionsOrTargets();
    return this.assignmentTail(value) ?? value;
  }

  /** A left-hand side: identifiers, attributes and subscripts (a list of them: pattern_list). */
  private asPattern(n: PyNode): PyNode {
    if (n.type === 'identifier' || n.type === 'attribute' || n.type === 'subscript') return n;
    if (n.type === 'expression_list' || n.type === 'pattern_list') {
      const list = this.node('pattern_list', n.startIndex, n.endIndex);
      for (const c of n.namedChildren) list.add(this.asPattern(c));
      return list;
    }
    throw REFUSE; // (a, b) = ..., [a, b] = ..., *a = ...: tuple_pattern and friends
  }

  /** Expressions separated by commas: one expression, or an expression_list. */
  private expressions(): PyNode {
    const first = this.expression();
    if (!this.is(',')) return first;
    const list = this.node('expression_list', first.startIndex, first.endIndex).add(first);
    while (this.is(',')) {
      this.p++;
      if (this.endsList()) break;
      list.add(this.expression());
    }
    list.endIndex = this.lastEnd;
    return list;
  }

  private expressionsOrTargets(): PyNode {
    if (this.is('*')) throw REFUSE;
    return this.expressions();
  }

  private endsList(): boolean {
    const t = this.t;
    return t.k === K.Newline || t.k === K.End || (t.k === K.Op && ['=', ')', ']', '}', ':', ';'].includes(t.v)) || AUGMENTED.has(t.v) || (t.k === K.Name && t.v === 'in');
  }

  private yieldExpression(): PyNode {
    const t = this.eat('yield');
    const n = this.node('yield', t.s, t.e);
    if (this.is('from')) {
      this.p++;
      n.add(this.expression());
    } else if (!this.endsList() && !this.is(')')) n.add(this.expressions());
    n.endIndex = this.lastEnd;
    return n;
  }

  private identifier(): PyNode {
    const t = this.t;
    if (t.k !== K.Name || RESERVED.has(t.v)) throw REFUSE;
    this.p++;
    return this.node('identifier', t.s, t.e);
  }

  private dottedName(): PyNode {
    const first = this.identifier();
    const n = this.node('dotted_name', first.startIndex, first.endIndex).add(first);
    while (this.is('.')) {
      this.p++;
      n.add(this.identifier());
    }
    n.endIndex = this.lastEnd;
    return n;
  }

  private importStatement(): PyNode {
    const t = this.eat('import');
    const n = this.node('import_statement', t.s, t.e);
    this.importList(n);
    n.endIndex = this.lastEnd;
    return n;
  }

  private importList(n: PyNode): void {
    let first = true;
    do {
      if (!first) {
        this.p++;
        if (this.at(K.Newline) || this.is(')')) break;
      }
      first = false;
      const name = this.dottedName();
      if (this.is('as')) {
        this.p++;
        const alias = this.node('aliased_import', name.startIndex, name.endIndex).add(name, 'name');
        alias.add(this.identifier(), 'alias');
        alias.endIndex = this.lastEnd;
        n.add(alias, 'name');
      } else n.add(name, 'name');
    } while (this.is(','));
  }

  private importFrom(): PyNode {
    const t = this.eat('from');
    const n = this.node('import_from_statement', t.s, t.e);
    if (this.is('.') || this.is('...')) {
      const start = this.t.s;
      const rel = this.node('relative_import', start, start);
      let end = start;
      while (this.is('.') || this.is('...')) end = this.take().e;
      rel.add(this.node('import_prefix', start, end));
      if (!this.is('import')) rel.add(this.dottedName());
      rel.endIndex = this.lastEnd;
      n.add(rel, 'module_name');
    } else {
      const module = this.dottedName();
      if (module.text === '__future__') throw REFUSE; // future_import_statement
      n.add(module, 'module_name');
    }
    this.eat('import');
    if (this.is('*')) {
      const star = this.take();
      n.add(this.node('wildcard_import', star.s, star.e));
    } else if (this.is('(')) {
      this.p++;
      const before = n.namedChildren.length;
      this.importList(n);
      if (n.namedChildren.length === before) throw REFUSE;
      this.eat(')');
    } else this.importList(n);
    n.endIndex = this.lastEnd;
    return n;
  }

  // --- compound statements

  private block(owner: PyNode, field: string | undefined): void {
    this.eat(':');
    if (this.at(K.Newline)) {
      this.p++;
      if (!this.at(K.Indent)) throw REFUSE; // an empty block
      this.p++;
      const b = this.node('block', this.t.s, this.t.s);
      while (!this.at(K.Dedent)) {
        if (this.at(K.End)) throw REFUSE;
        if (this.at(K.Newline)) {
          this.p++;
          continue;
        }
        for (const s of this.statement()) b.add(s);
      }
      b.endIndex = this.take().e; // the dedent: after the comments that stay in the block
      owner.add(b, field);
      owner.endIndex = b.endIndex;
      return;
    }
    // A suite on the colon's line: `if x: return y`.
    const b = this.node('block', this.t.s, this.t.s);
    b.add(this.simpleStatement());
    while (this.is(';')) {
      this.p++;
      if (this.at(K.Newline)) break;
      b.add(this.simpleStatement());
    }
    if (!this.at(K.Newline)) throw REFUSE;
    b.endIndex = this.take().e;
    owner.add(b, field);
    owner.endIndex = b.endIndex;
  }

  private ifStatement(): PyNode {
    const t = this.eat('if');
    const n = this.node('if_statement', t.s, t.e);
    n.add(this.expression(), 'condition');
    this.block(n, 'consequence');
    while (this.is('elif')) {
      const e = this.take();
      const clause = this.node('elif_clause', e.s, e.e);
      clause.add(this.expression(), 'condition');
      this.block(clause, 'consequence');
      n.add(clause, 'alternative');
      n.endIndex = clause.endIndex;
    }
    this.elseClause(n, 'alternative');
    return n;
  }

  /** An `else:` clause, if one follows, added to `n` (as `field`). */
  private elseClause(n: PyNode, field: string | undefined): void {
    if (!this.is('else')) return;
    const e = this.take();
    const clause = this.node('else_clause', e.s, e.e);
    this.block(clause, 'body');
    n.add(clause, field);
    n.endIndex = clause.endIndex;
  }

  private forStatement(): PyNode {
    const t = this.eat('for');
    const n = this.node('for_statement', t.s, t.e);
    n.add(this.targets(), 'left');
    this.eat('in');
    n.add(this.expressions(), 'right');
    this.block(n, 'body');
    this.elseClause(n, 'alternative');
    return n;
  }

  /** The targets of a `for`: a pattern, or a pattern_list. */
  private targets(): PyNode {
    const first = this.target();
    if (!this.is(',')) return first;
    const list = this.node('pattern_list', first.startIndex, first.endIndex).add(first);
    while (this.is(',')) {
      this.p++;
      if (this.is('in')) break;
      list.add(this.target());
    }
    list.endIndex = this.lastEnd;
    return list;
  }

  private target(): PyNode {
    if (!this.at(K.Name)) throw REFUSE; // (a, b), [a, b], *a
    return this.asPattern(this.primary());
  }

  private whileStatement(): PyNode {
    const t = this.eat('while');
    const n = this.node('while_statement', t.s, t.e);
    n.add(this.expression(), 'condition');
    this.block(n, 'body');
    this.elseClause(n, 'alternative');
    return n;
  }

  private tryStatement(): PyNode {
    const t = this.eat('try');
    const n = this.node('try_statement', t.s, t.e);
    this.block(n, 'body');
    let handlers = 0;
    while (this.is('except')) {
      const e = this.take();
      if (this.is('*')) throw REFUSE;
      const clause = this.node('except_clause', e.s, e.e);
      if (!this.is(':')) {
        const value = this.expression();
        if (this.is(',')) throw REFUSE;
        clause.add(this.asAlias(value), 'value');
      }
      this.block(clause, undefined);
      n.add(clause);
      n.endIndex = clause.endIndex;
      handlers++;
    }
    if (this.is('else') && !handlers) throw REFUSE;
    this.elseClause(n, undefined);
    if (this.is('finally')) {
      const f = this.take();
      const clause = this.node('finally_clause', f.s, f.e);
      this.block(clause, undefined);
      n.add(clause);
      n.endIndex = clause.endIndex;
    } else if (!handlers) throw REFUSE;
    return n;
  }

  /** `value as name` (an except clause's or a with item's): as_pattern with its as_pattern_target; else `value`. */
  private asAlias(value: PyNode): PyNode {
    if (!this.is('as')) return value;
    this.p++;
    const pattern = this.node('as_pattern', value.startIndex, value.endIndex).add(value);
    const alias = this.expression();
    pattern.add(this.node('as_pattern_target', alias.startIndex, alias.endIndex).add(alias), 'alias');
    pattern.endIndex = alias.endIndex;
    return pattern;
  }

  private withStatement(): PyNode {
    const t = this.eat('with');
    const n = this.node('with_statement', t.s, t.e);
    if (this.is('(')) throw REFUSE; // with (a as b, c as d): a parenthesized with_clause
    const clause = this.node('with_clause', this.t.s, this.t.s);
    do {
      if (clause.namedChildren.length) this.p++;
      const value = this.expression();
      const item = this.node('with_item', value.startIndex, value.endIndex).add(this.asAlias(value), 'value');
      item.endIndex = this.lastEnd;
      clause.add(item);
    } while (this.is(','));
    clause.endIndex = this.lastEnd;
    n.add(clause);
    this.block(n, 'body');
    return n;
  }

  private decorated(): PyNode {
    const n = this.node('decorated_definition', this.t.s, this.t.s);
    while (this.is('@')) {
      const at = this.take();
      const d = this.node('decorator', at.s, at.e);
      d.add(this.expression());
      if (!this.at(K.Newline)) throw REFUSE;
      d.endIndex = this.take().e; // its NEWLINE: after a comment on the line
      n.add(d);
    }
    const def = this.is('class') ? this.classDefinition() : this.is('def') || (this.is('async') && this.peek().v === 'def') ? this.functionDefinition() : undefined;
    if (!def) throw REFUSE;
    n.add(def, 'definition');
    n.endIndex = def.endIndex;
    return n;
  }

  private functionDefinition(): PyNode {
    const start = this.t.s;
    if (this.is('async')) this.p++;
    this.eat('def');
    const n = this.node('function_definition', start, start);
    n.add(this.identifier(), 'name');
    if (this.is('[')) throw REFUSE; // type parameters
    n.add(this.parameters(), 'parameters');
    if (this.is('->')) {
      this.p++;
      n.add(this.type(), 'return_type');
    }
    this.block(n, 'body');
    return n;
  }

  private parameters(): PyNode {
    const open = this.eat('(');
    const n = this.node('parameters', open.s, open.e);
    this.parameterList(n, ')');
    n.endIndex = this.eat(')').e;
    return n;
  }

  /** Parameters up to `close`: identifiers, defaults, annotations, *args, **kwargs, `*`, `/`. */
  private parameterList(n: PyNode, close: string): void {
    while (!this.is(close)) {
      const t = this.t;
      let param: PyNode;
      if (this.is('*') || this.is('**')) {
        this.p++;
        if (t.v === '*' && (this.is(',') || this.is(close))) param = this.node('keyword_separator', t.s, t.e);
        else {
          const id = this.identifier();
          param = this.node(t.v === '*' ? 'list_splat_pattern' : 'dictionary_splat_pattern', t.s, id.endIndex).add(id);
          if (this.is(':') && close === ')') {
            this.p++;
            const typed = this.node('typed_parameter', param.startIndex, param.endIndex).add(param);
            typed.add(this.type(), 'type');
            typed.endIndex = this.lastEnd;
            param = typed;
          }
        }
      } else if (this.is('/')) {
        this.p++;
        param = this.node('positional_separator', t.s, t.e);
      } else {
        const id = this.identifier();
        if (this.is(':') && close === ')') {
          this.p++;
          const type = this.type();
          if (this.is('=')) {
            this.p++;
            param = this.node('typed_default_parameter', id.startIndex, id.endIndex).add(id, 'name').add(type, 'type').add(this.expression(), 'value');
          } else param = this.node('typed_parameter', id.startIndex, id.endIndex).add(id).add(type, 'type');
        } else if (this.is('=')) {
          this.p++;
          param = this.node('default_parameter', id.startIndex, id.endIndex).add(id, 'name').add(this.expression(), 'value');
        } else param = id;
        param.endIndex = this.lastEnd;
      }
      n.add(param);
      if (!this.is(',')) break;
      this.p++;
    }
  }

  private classDefinition(): PyNode {
    const t = this.eat('class');
    const n = this.node('class_definition', t.s, t.e);
    n.add(this.identifier(), 'name');
    if (this.is('[')) throw REFUSE;
    if (this.is('(')) n.add(this.argumentList(), 'superclasses');
    this.block(n, 'body');
    return n;
  }

  /** An annotation: tree-sitter's `type` around an expression, or a generic `Name[...]`. */
  private type(): PyNode {
    const start = this.t.s;
    const n = this.node('type', start, start);
    if (this.at(K.Name) && this.peek().v === '[') {
      const id = this.identifier();
      const open = this.eat('[');
      const generic = this.node('generic_type', id.startIndex, id.endIndex).add(id);
      const params = this.node('type_parameter', open.s, open.e);
      do {
        if (params.namedChildren.length) this.p++;
        if (this.is(']')) break;
        params.add(this.type());
      } while (this.is(','));
      params.endIndex = this.eat(']').e;
      generic.add(params);
      generic.endIndex = params.endIndex;
      n.add(generic);
      if (!this.is(',') && !this.is(']') && !this.is('=') && !this.is(':') && !this.is(')') && !this.at(K.Newline)) throw REFUSE; // List[int] | None...
    } else {
      const e = this.expression();
      if (e.descendantsOfType(['subscript', 'string', 'ellipsis', 'list']).length) throw REFUSE; // a.B[...], "Forward", Callable[..., X]
      n.add(e);
    }
    n.endIndex = this.lastEnd;
    return n;
  }

  // --- expressions

  expression(): PyNode {
    if (this.is('lambda')) return this.lambda();
    if (this.at(K.Name) && this.peek().v === ':=') {
      const name = this.identifier();
      this.p++;
      const n = this.node('named_expression', name.startIndex, name.endIndex).add(name, 'name');
      n.add(this.expression(), 'value');
      n.endIndex = this.lastEnd;
      return n;
    }
    const body = this.or();
    if (!this.is('if')) return body;
    this.p++;
    const n = this.node('conditional_expression', body.startIndex, body.endIndex).add(body);
    n.add(this.or());
    this.eat('else');
    n.add(this.expression());
    n.endIndex = this.lastEnd;
    return n;
  }

  private lambda(): PyNode {
    const t = this.eat('lambda');
    const n = this.node('lambda', t.s, t.e);
    if (!this.is(':')) {
      const params = this.node('lambda_parameters', this.t.s, this.t.s);
      this.parameterList(params, ':');
      params.endIndex = this.lastEnd;
      n.add(params, 'parameters');
    }
    this.eat(':');
    n.add(this.expression(), 'body');
    n.endIndex = this.lastEnd;
    return n;
  }

  private or(): PyNode {
    let left = this.and();
    while (this.is('or')) left = this.binary('boolean_operator', left, () => this.and());
    return left;
  }

  private and(): PyNode {
    let left = this.not();
    while (this.is('and')) left = this.binary('boolean_operator', left, () => this.not());
    return left;
  }

  private binary(type: string, left: PyNode, right: () => PyNode): PyNode {
    const n = this.node(type, left.startIndex, left.endIndex).add(left, 'left');
    n.add(this.anon(this.take()), 'operator');
    n.add(right(), 'right');
    n.endIndex = this.lastEnd;
    return n;
  }

  private not(): PyNode {
    if (!this.is('not')) return this.comparison();
    const t = this.take();
    const n = this.node('not_operator', t.s, t.e);
    n.add(this.not(), 'argument');
    n.endIndex = this.lastEnd;
    return n;
  }

  private comparison(): PyNode {
    const first = this.bitwise(0);
    if (!this.isComparison()) return first;
    const n = this.node('comparison_operator', first.startIndex, first.endIndex).add(first);
    while (this.isComparison()) {
      const op = this.take();
      let end = op.e;
      if (op.v === 'not') end = this.eat('in').e;
      else if (op.v === 'is' && this.is('not')) end = this.take().e;
      n.add(new PyNode(this.src, this.src.text.slice(op.s, end), op.s, end, false), 'operators');
      n.add(this.bitwise(0));
    }
    n.endIndex = this.lastEnd;
    return n;
  }

  private isComparison(): boolean {
    const t = this.t;
    if (!COMPARISON.has(t.v) || (t.k !== K.Op && t.k !== K.Name)) return false;
    return t.v !== 'not' || this.peek().v === 'in';
  }

  private bitwise(level: number): PyNode {
    if (level === BINARY.length) return this.unary();
    let left = this.bitwise(level + 1);
    while (this.at(K.Op) && BINARY[level].includes(this.t.v)) left = this.binary('binary_operator', left, () => this.bitwise(level + 1));
    return left;
  }

  private unary(): PyNode {
    const t = this.t;
    if (t.k === K.Op && (t.v === '-' || t.v === '+' || t.v === '~')) {
      this.p++;
      const n = this.node('unary_operator', t.s, t.e);
      n.add(this.anon(t), 'operator');
      n.add(this.unary(), 'argument');
      n.endIndex = this.lastEnd;
      return n;
    }
    if (this.is('await')) {
      this.p++;
      const n = this.node('await', t.s, t.e);
      n.add(this.power());
      n.endIndex = this.lastEnd;
      return n;
    }
    return this.power();
  }

  private power(): PyNode {
    const base = this.primary();
    if (!this.is('**')) return base;
    const next = this.peek();
    if (next.k === K.Op && ['-', '+', '~'].includes(next.v)) throw REFUSE;
    return this.binary('binary_operator', base, () => this.power());
  }

  /** An atom and what follows it: `.name`, `(arguments)`, `[subscript]`. */
  private primary(): PyNode {
    let n = this.atom();
    for (;;) {
      if (this.is('.')) {
        this.p++;
        const a = this.node('attribute', n.startIndex, n.endIndex).add(n, 'object');
        a.add(this.identifier(), 'attribute');
        a.endIndex = this.lastEnd;
        n = a;
      } else if (this.is('(')) {
        const c = this.node('call', n.startIndex, n.endIndex).add(n, 'function');
        c.add(this.argumentList(), 'arguments');
        c.endIndex = this.lastEnd;
        n = c;
      } else if (this.is('[')) {
        this.p++;
        const s = this.node('subscript', n.startIndex, n.endIndex).add(n, 'value');
        do {
          if (s.namedChildren.length > 1) this.p++;
          if (this.is(']')) break;
          s.add(this.subscriptItem(), 'subscript');
        } while (this.is(','));
        this.eat(']');
        s.endIndex = this.lastEnd;
        n = s;
      } else return n;
    }
  }

  private subscriptItem(): PyNode {
    const start = this.t.s;
    let first: PyNode | undefined;
    if (!this.is(':')) {
      first = this.expression();
      if (!this.is(':')) return first;
    }
    const slice = this.node('slice', start, start);
    if (first) slice.add(first);
    this.eat(':');
    if (!this.is(':') && !this.is(']') && !this.is(',')) slice.add(this.expression());
    if (this.is(':')) {
      this.p++;
      if (!this.is(']') && !this.is(',')) slice.add(this.expression());
    }
    slice.endIndex = this.lastEnd;
    return slice;
  }

  private argumentList(): PyNode {
    const open = this.eat('(');
    const n = this.node('argument_list', open.s, open.e);
    while (!this.is(')')) {
      const t = this.t;
      if (this.is('*') || this.is('**')) {
        if (t.v === '*') this.plainSplat();
        this.p++;
        const splat = this.node(t.v === '*' ? 'list_splat' : 'dictionary_splat', t.s, t.e);
        splat.add(this.expression());
        splat.endIndex = this.lastEnd;
        n.add(splat);
      } else if (t.k === K.Name && this.peek().v === '=') {
        if (RESERVED.has(t.v)) throw REFUSE;
        const name = this.take();
        const kw = this.node('keyword_argument', name.s, name.e).add(this.node('identifier', name.s, name.e), 'name');
        this.p++;
        kw.add(this.expression(), 'value');
        kw.endIndex = this.lastEnd;
        n.add(kw);
      } else {
        const value = this.expression();
        if (this.is('for')) {
          // f(x for x in y): the call's parentheses are the generator's.
          if (n.namedChildren.length) throw REFUSE;
          return this.comprehension('generator_expression', open, value, ')');
        }
        n.add(value);
      }
      if (!this.is(',')) break;
      this.p++;
    }
    n.endIndex = this.eat(')').e;
    return n;
  }

  /** `open body for ... close`: a comprehension or generator expression of `type`. */
  private comprehension(type: string, open: Token, body: PyNode, close: string): PyNode {
    const n = this.node(type, open.s, open.e).add(body, 'body');
    this.comprehensionClauses(n);
    n.endIndex = this.eat(close).e;
    return n;
  }

  private comprehensionClauses(n: PyNode): void {
    if (!this.is('for')) throw REFUSE;
    while (this.is('for') || this.is('if')) {
      const t = this.take();
      if (t.v === 'for') {
        const clause = this.node('for_in_clause', t.s, t.e);
        clause.add(this.targets(), 'left');
        this.eat('in');
        if (this.is('lambda')) throw REFUSE;
        clause.add(this.or(), 'right');
        if (this.is(',')) throw REFUSE;
        clause.endIndex = this.lastEnd;
        n.add(clause);
      } else {
        const clause = this.node('if_clause', t.s, t.e);
        clause.add(this.or());
        clause.endIndex = this.lastEnd;
        n.add(clause);
      }
    }
  }

  private atom(): PyNode {
    const t = this.t;
    switch (t.k) {
      case K.Name:
        if (t.v === 'True' || t.v === 'False' || t.v === 'None') {
          this.p++;
          return this.node(t.v === 'None' ? 'none' : t.v.toLowerCase(), t.s, t.e);
        }
        if (t.v === 'async' || t.v === 'await' || t.v === 'lambda' || t.v === 'not' || t.v === 'yield') throw REFUSE;
        return this.identifier();
      case K.Number:
        this.p++;
        return this.node(/^0[xXoObB]/.test(t.v) || !/[.eE]/.test(t.v) ? 'integer' : 'float', t.s, t.e);
      case K.String:
        return this.strings();
      case K.Op:
        switch (t.v) {
          case '(':
            return this.parenthesized();
          case '[':
            return this.bracketed();
          case '{':
            return this.braced();
          case '...':
            this.p++;
            return this.node('ellipsis', t.s, t.e);
        }
    }
    throw REFUSE;
  }

  private parenthesized(): PyNode {
    const open = this.eat('(');
    if (this.is(')')) return this.node('tuple', open.s, this.take().e);
    if (this.is('yield')) {
      const n = this.node('parenthesized_expression', open.s, open.e).add(this.yieldExpression());
      n.endIndex = this.eat(')').e;
      return n;
    }
    const first = this.element();
    if (this.is('for')) {
      return this.comprehension('generator_expression', open, first, ')');
    }
    if (this.is(')')) {
      if (first.type === 'list_splat') throw REFUSE;
      const n = this.node('parenthesized_expression', open.s, open.e).add(first);
      n.endIndex = this.take().e;
      return n;
    }
    const tuple = this.node('tuple', open.s, open.e).add(first);
    this.restOfElements(tuple, ')');
    return tuple;
  }

  /** After `*`: tree-sitter reads `*f(x)` and `*a.b` in two ways (list_splat of a call, or a call of a list_splat), by context: left to it. */
  private plainSplat(): void {
    if (this.peek().k !== K.Name || ['(', '.', '['].includes(this.peek(2).v)) throw REFUSE;
  }

  private element(): PyNode {
    if (this.is('*')) {
      this.plainSplat();
      const t = this.take();
      const n = this.node('list_splat', t.s, t.e).add(this.expression());
      n.endIndex = this.lastEnd;
      return n;
    }
    if (this.is('yield')) throw REFUSE;
    return this.expression();
  }

  private restOfElements(n: PyNode, close: string): void {
    while (this.is(',')) {
      this.p++;
      if (this.is(close)) break;
      n.add(this.element());
    }
    n.endIndex = this.eat(close).e;
  }

  private bracketed(): PyNode {
    const open = this.eat('[');
    if (this.is(']')) return this.node('list', open.s, this.take().e);
    const first = this.element();
    if (this.is('for')) {
      return this.comprehension('list_comprehension', open, first, ']');
    }
    const list = this.node('list', open.s, open.e).add(first);
    this.restOfElements(list, ']');
    return list;
  }

  private braced(): PyNode {
    const open = this.eat('{');
    if (this.is('}')) return this.node('dictionary', open.s, this.take().e);
    const first = this.dictItem();
    if (first.type === 'pair' || first.type === 'dictionary_splat') {
      if (this.is('for')) {
        if (first.type !== 'pair') throw REFUSE;
        return this.comprehension('dictionary_comprehension', open, first, '}');
      }
      const d = this.node('dictionary', open.s, open.e).add(first);
      while (this.is(',')) {
        this.p++;
        if (this.is('}')) break;
        const item = this.dictItem();
        if (item.type !== 'pair' && item.type !== 'dictionary_splat') throw REFUSE;
        d.add(item);
      }
      d.endIndex = this.eat('}').e;
      return d;
    }
    if (this.is('for')) {
      return this.comprehension('set_comprehension', open, first, '}');
    }
    const set = this.node('set', open.s, open.e).add(first);
    this.restOfElements(set, '}');
    return set;
  }

  private dictItem(): PyNode {
    if (this.is('**')) {
      const t = this.take();
      const n = this.node('dictionary_splat', t.s, t.e).add(this.expression());
      n.endIndex = this.lastEnd;
      return n;
    }
    const key = this.element();
    if (!this.is(':')) return key;
    this.p++;
    const pair = this.node('pair', key.startIndex, key.endIndex).add(key, 'key');
    pair.add(this.expression(), 'value');
    pair.endIndex = this.lastEnd;
    return pair;
  }

  /** One string, or several side by side (concatenated_string). */
  private strings(): PyNode {
    const first = this.string(this.take());
    if (!this.at(K.String)) return first;
    const n = this.node('concatenated_string', first.startIndex, first.endIndex).add(first);
    while (this.at(K.String)) n.add(this.string(this.take()));
    n.endIndex = this.lastEnd;
    return n;
  }

  private string(t: Token): PyNode {
    const text = this.src.text;
    const prefix = t.v.toLowerCase();
    const q = t.s + prefix.length;
    const quoteLength = text[q + 1] === text[q] && text[q + 2] === text[q] ? 3 : 1;
    const n = this.node('string', t.s, t.e);
    const contentStart = q + quoteLength;
    const contentEnd = t.e - quoteLength;
    n.add(this.node('string_start', t.s, contentStart));
    const raw = prefix.includes('r');
    // tree-sitter reads `r'\\'` and `r'\''` with no string_content, the pair in string_end: refused.
    if (raw && text[contentStart] === '\\' && (text[contentStart + 1] === '\\' || text[contentStart + 1] === text[q])) throw REFUSE;
    if (prefix.includes('f')) this.fstringParts(n, contentStart, contentEnd, raw);
    else if (contentEnd > contentStart) n.add(this.content(contentStart, contentEnd, raw));
    n.add(this.node('string_end', contentEnd, t.e));
    return n;
  }

  /** string_content, with its escape_sequence children (none in a raw string). */
  private content(s: number, e: number, raw: boolean): PyNode {
    const text = this.src.text;
    const c = this.node('string_content', s, e);
    if (raw) return c; // a raw string's backslashes are content
    for (let i = text.indexOf('\\', s); i >= 0 && i < e; i = text.indexOf('\\', i)) {
      ESCAPE_SEQUENCE.lastIndex = i;
      const m = ESCAPE_SEQUENCE.exec(text);
      if (m && i + m[0].length <= e) {
        c.add(this.node('escape_sequence', i, i + m[0].length));
        i += m[0].length;
      } else i += 2;
    }
    return c;
  }

  /** The parts of an f-string: text between `{...}` interpolations, each parsed as an expression. */
  private fstringParts(n: PyNode, s: number, e: number, raw: boolean): void {
    const text = this.src.text;
    let content: PyNode | undefined; // the string_content being read
    const extend = (from: number, to: number, child?: PyNode) => {
      content ??= this.node('string_content', from, from);
      content.add(child);
      content.endIndex = to;
    };
    let i = s;
    while (i < e) {
      const c = text[i];
      if ((c === '{' || c === '}') && text[i + 1] === c) {
        extend(i, i + 2, this.node('escape_interpolation', i, i + 2)); // `{{`, `}}`
        i += 2;
        continue;
      }
      if (c === '}') throw REFUSE; // a stray brace
      if (c === '\\') {
        if (raw || text[i + 1] === '{' || text[i + 1] === '}') throw REFUSE;
        ESCAPE_SEQUENCE.lastIndex = i;
        const m = ESCAPE_SEQUENCE.exec(text);
        const end = m && i + m[0].length <= e ? i + m[0].length : i + 2;
        extend(i, end, m && end === i + m[0].length ? this.node('escape_sequence', i, end) : undefined);
        i = end;
        continue;
      }
      if (c !== '{') {
        extend(i, i + 1);
        i++;
        continue;
      }
      if (content) n.add(content);
      content = undefined;
      const open = i;
      const { close, cut } = scanInterpolation(text, open, e);
      if (/[\n#\\]/.test(text.slice(open + 1, close))) throw REFUSE; // lines, comments, backslashes
      if (/[^=!<>]=\s*$/.test(text.slice(open + 1, cut))) throw REFUSE; // `{x=}`: the self-documenting form
      const interpolation = this.node('interpolation', open, close + 1);
      interpolation.add(parseInner(this.src, open + 1, cut), 'expression');
      let at = cut;
      if (text[at] === '!') {
        if (!/^![a-z]$/.test(text.slice(at, at + 2))) throw REFUSE;
        interpolation.add(this.node('type_conversion', at, at + 2), 'type_conversion');
        at += 2;
      }
      if (text[at] === ':') {
        const spec = this.node('format_specifier', at, close);
        for (let j = text.indexOf('{', at); j >= 0 && j < close; j = text.indexOf('{', j)) {
          const inner = scanInterpolation(text, j, close);
          if (inner.cut !== inner.close) throw REFUSE;
          spec.add(this.node('format_expression', j, inner.close + 1).add(parseInner(this.src, j + 1, inner.close), 'expression'));
          j = inner.close + 1;
        }
        interpolation.add(spec, 'format_specifier');
      } else if (at !== close) throw REFUSE;
      n.add(interpolation);
      i = close + 1;
    }
    if (content) n.add(content);
  }
}

/**
 * The interpolation opened at `open`: the `}` closing it, and where its expression ends (a `!`
 * conversion or a `:` format spec outside brackets, else the `}`). Brackets are counted and
 * strings in the expression skipped (an f-string here has no backslash).
 */
function scanInterpolation(text: string, open: number, limit: number): { close: number; cut: number } {
  let depth = 0;
  let cut = -1;
  for (let i = open + 1; i < limit; i++) {
    const c = text[i];
    if ((c === '"' || c === "'") && cut < 0) {
      const end = text.indexOf(c, i + 1);
      if (end < 0 || end >= limit) throw REFUSE;
      i = end;
    } else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === '}') {
      if (depth === 0) return { close: i, cut: cut < 0 ? i : cut };
      depth--;
    } else if (depth === 0 && cut < 0 && ((c === '!' && text[i + 1] !== '=') || c === ':')) cut = i;
  }
  throw REFUSE;
}

/** An expression inside an f-string's braces, with the offsets of the whole source. */
function parseInner(src: Source, s: number, e: number): PyNode {
  const { tokens } = tokenize(src.text, s, e, true);
  if (tokens.length < 2) throw REFUSE;
  const parser = new Parser(src, tokens);
  const expr = parser.expression();
  if (!parser.atEnd()) throw REFUSE; // `a, b`, or something left over
  return expr;
}

/** Puts each comment in the deepest node that spans it, as tree-sitter places its extras. */
function placeComments(root: PyNode, comments: Comment[], src: Source): void {
  for (const c of comments) {
    let n = root;
    for (;;) {
      const inner = n.namedChildren.find((k) => k.startIndex < c.s && c.e <= k.endIndex && k.type !== 'comment');
      if (!inner) break;
      n = inner;
    }
    if (n.type === 'string' || n.type === 'string_content' || n.type === 'interpolation') throw REFUSE;
    n.insert(new PyNode(src, 'comment', c.s, c.e));
  }
}

/**
 * The module tree of `text` (one top-level statement of a file, or several), or undefined when
 * the text has anything this parser leaves to tree-sitter.
 */
export function parsePython(text: string): PyNode | undefined {
  try {
    const src = new Source(text);
    const { tokens, comments } = tokenize(text);
    const root = new Parser(src, tokens).module();
    if (comments.length) placeComments(root, comments, src);
    return root;
  } catch {
    // REFUSE, or a stack overflow on a pathological text: tree-sitter reads it.
    return undefined;
  }
}
