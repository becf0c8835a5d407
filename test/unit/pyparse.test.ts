/**
 * The parser in plain TypeScript (src/flask/pyparse.ts) against tree-sitter-python, its reference:
 * over every Python file of the course (starters, solutions, variants, mutants, demos, tests), each
 * top-level statement it accepts must give node for node tree-sitter's tree (types, fields,
 * extents, positions, comments), and each file's analysis (routes, url_for, templates, tutor
 * diagnostics) must be the same whichever parser read it. What it refuses goes to tree-sitter.
 * Also over Python's standard library, and over course statements with random typos. (Run by hand
 * while writing it, the same comparison over Debian's dist-packages and the current venv's
 * site-packages, 126,000 statements of Flask, Werkzeug, SQLAlchemy, Celery and more: no difference.)
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Node as TsNode } from 'web-tree-sitter';
import { splitTopLevel } from '../../src/flask/chunks';
import { clearSharedStatements, parsedBy, PythonFileAnalyzer, useFastParser } from '../../src/flask/fileAnalysis';
import { parsePython, PyNode } from '../../src/flask/pyparse';
import type { PythonParser } from '../../src/flask/syntax';
import { loadTestParser } from './pythonParser';

const ROOT = path.resolve(__dirname, '..', '..', '..');
let parser: PythonParser;

before(async () => {
  parser = await loadTestParser();
});

after(() => useFastParser(true));

interface View {
  type: string;
  range: string;
  field?: string;
  anonymousFields: Record<string, string>;
  children: View[];
}

const range = (n: { startIndex: number; endIndex: number; startPosition: { row: number; column: number }; endPosition: { row: number; column: number } }) =>
  `${n.startIndex}-${n.endIndex} (${n.startPosition.row}:${n.startPosition.column}-${n.endPosition.row}:${n.endPosition.column})`;

/** Tree-sitter's tree as named nodes with their fields (and the anonymous nodes a field names: operators). */
function treeSitterView(node: TsNode, field?: string): View {
  const children: View[] = [];
  const anonymousFields: Record<string, string> = {};
  const cursor = node.walk();
  if (cursor.gotoFirstChild()) {
    do {
      const child = cursor.currentNode;
      const name = cursor.currentFieldName ?? undefined;
      if (child.isNamed) children.push(treeSitterView(child, name));
      else if (name && !(name in anonymousFields)) anonymousFields[name] = `${child.type} ${range(child)}`;
    } while (cursor.gotoNextSibling());
  }
  cursor.delete();
  return { type: node.type, range: range(node), field, anonymousFields, children };
}

function fastView(node: PyNode): View {
  const anonymousFields: Record<string, string> = {};
  for (const name of node.fieldNames()) {
    const child = node.childForFieldName(name)!;
    if (!child.isNamed) anonymousFields[name] = `${child.type} ${range(child)}`;
  }
  return { type: node.type, range: range(node), field: node.field, anonymousFields, children: node.namedChildren.map(fastView) };
}

/** The first difference of two views, as a path, or undefined. */
function difference(a: View, b: View, where = ''): string | undefined {
  const head = (v: View) => `${v.field ? `${v.field}: ` : ''}${v.type} ${v.range}`;
  if (head(a) !== head(b)) return `${where}: tree-sitter ${head(a)}, fast ${head(b)}`;
  if (JSON.stringify(a.anonymousFields) !== JSON.stringify(b.anonymousFields)) return `${where}/${a.type}: fields ${JSON.stringify(a.anonymousFields)} vs ${JSON.stringify(b.anonymousFields)}`;
  for (let i = 0; i < Math.max(a.children.length, b.children.length); i++) {
    if (!a.children[i] || !b.children[i]) return `${where}/${a.type}: child ${i}: tree-sitter ${a.children[i]?.type ?? 'none'}, fast ${b.children[i]?.type ?? 'none'}`;
    const d = difference(a.children[i], b.children[i], `${where}/${a.type}`);
    if (d) return d;
  }
  return undefined;
}

/** The module's statements compared (the module node itself spans the text differently: not read). */
function compareStatements(text: string): { accepted: boolean; difference?: string } {
  const fast = parsePython(text);
  if (!fast) return { accepted: false };
  const tree = parser.parse(text);
  try {
    if (tree.rootNode.hasError) return { accepted: true, difference: 'accepted text tree-sitter finds an error in' };
    const a = treeSitterView(tree.rootNode);
    const b = fastView(fast);
    return { accepted: true, difference: difference({ ...a, range: '' }, { ...b, range: '' }) };
  } finally {
    tree.delete();
  }
}

const courseFiles = (): string[] =>
  execFileSync('git', ['ls-files', '*.py'], { cwd: ROOT, encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((f) => path.join(ROOT, f));

describe('pyparse: the fast Python parser gives tree-sitter-python\'s trees', function () {
  this.timeout(120_000);

  it('over every Python file of the course, statement by statement: the same tree, or a refusal', () => {
    let statements = 0;
    let accepted = 0;
    const wrong: string[] = [];
    for (const file of courseFiles()) {
      for (const chunk of splitTopLevel(fs.readFileSync(file, 'utf8'))) {
        statements++;
        const r = compareStatements(chunk.text);
        if (r.accepted) accepted++;
        if (r.difference) wrong.push(`${path.relative(ROOT, file)}:${chunk.line + 1}${r.difference}\n${chunk.text.slice(0, 300)}`);
      }
    }
    assert.deepStrictEqual(wrong.slice(0, 5), [], `${wrong.length} statements differ`);
    assert.ok(statements > 10_000, `the corpus has ${statements} statements`);
    // A floor, so that a change refusing much more (and silently slowing every analysis) fails here.
    assert.ok(accepted / statements >= 0.98, `the fast parser read ${accepted} of ${statements} statements`);
  });

  it('every file of the course gets the same routes, url_for calls, templates and diagnostics from either parser', () => {
    const before = { ...parsedBy };
    let differing = 0;
    const first: string[] = [];
    for (const file of courseFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      clearSharedStatements();
      useFastParser(false);
      const reference = JSON.stringify(new PythonFileAnalyzer().analyse(text, parser));
      clearSharedStatements();
      useFastParser(true);
      const fast = JSON.stringify(new PythonFileAnalyzer().analyse(text, parser));
      if (fast !== reference) {
        differing++;
        if (first.length < 3) first.push(path.relative(ROOT, file));
      }
    }
    clearSharedStatements();
    assert.strictEqual(differing, 0, `differ: ${first.join(', ')}`);
    assert.ok(parsedBy.fast - before.fast > 10_000, 'the fast parser read the statements');
  });

  it('files with Windows line endings (CRLF, as an editor on Windows keeps them): the same tree, or a refusal', () => {
    const wrong: string[] = [];
    let statements = 0;
    for (const file of courseFiles().filter((_, i) => i % 5 === 0)) {
      for (const chunk of splitTopLevel(fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n'))) {
        statements++;
        const r = compareStatements(chunk.text);
        if (r.difference) wrong.push(`${path.relative(ROOT, file)}:${chunk.line + 1}${r.difference}`);
      }
    }
    assert.deepStrictEqual(wrong.slice(0, 5), []);
    assert.ok(statements > 1000, `${statements} statements`);
  });

  it("Python's own standard library (the floor's /usr/lib/python3.x): the same tree, or a refusal", function () {
    const dir = fs.existsSync('/usr/lib') ? fs.readdirSync('/usr/lib').find((d) => /^python3\.\d+$/.test(d)) : undefined;
    if (!dir) this.skip(); // not a Debian machine: the course corpus above still ran
    let statements = 0;
    const wrong: string[] = [];
    for (const name of fs.readdirSync(path.join('/usr/lib', dir!)).filter((f) => f.endsWith('.py'))) {
      for (const chunk of splitTopLevel(fs.readFileSync(path.join('/usr/lib', dir!, name), 'utf8'))) {
        statements++;
        const r = compareStatements(chunk.text);
        if (r.difference) wrong.push(`${name}:${chunk.line + 1}${r.difference}`);
      }
    }
    assert.deepStrictEqual(wrong.slice(0, 5), []);
    assert.ok(statements > 1000, `${statements} statements`);
  });

  it('statements of the course with random typos: each is refused, or parsed exactly as tree-sitter parses it (never a tree for a syntax error)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const statements = courseFiles()
      .flatMap((f) => splitTopLevel(fs.readFileSync(f, 'utf8')))
      .map((c) => c.text)
      .filter((t) => t.length < 3000);
    const TYPED = '()[]{}:,=#\'"\n .\\+-*@!;fr0a_\t';
    let accepted = 0;
    const wrong: string[] = [];
    for (let k = 0; k < 4000; k++) {
      let text = statements[Math.floor(random() * statements.length)];
      for (let edits = 1 + Math.floor(random() * 2); edits > 0; edits--) {
        const at = Math.floor(random() * text.length);
        const r = random();
        if (r < 0.4) text = text.slice(0, at) + text.slice(at + 1);
        else if (r < 0.8) text = text.slice(0, at) + TYPED[Math.floor(random() * TYPED.length)] + text.slice(at);
        else text = text.slice(0, at) + text[at] + text.slice(at);
      }
      const r = compareStatements(text);
      if (r.accepted) accepted++;
      if (r.difference) wrong.push(`${r.difference}\n${text.slice(0, 300)}`);
    }
    assert.deepStrictEqual(wrong.slice(0, 3), []);
    assert.ok(accepted > 1000, `${accepted} of 4000 edited statements were accepted (the rest refused)`);
  });

  it('refuses what would overflow its stack (nesting deeper than code is written), for tree-sitter', () => {
    assert.ok(parsePython(`x = ${'('.repeat(100)}1${')'.repeat(100)}\n`));
    assert.strictEqual(parsePython(`x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`), undefined);
    assert.strictEqual(parsePython(`x = ${'-'.repeat(100_000)}1\n`), undefined);
  });

  const SAMPLES: Record<string, string> = {
    'comments: on a decorator line, leading a body, trailing a block, between clauses, at the top': [
      '@app.route("/x")  # the route',
      'def f(a, b=1, *c, d: int = 2, **e) -> dict:  # header',
      '    # leading',
      '    if a:',
      '        x = [i for i in b if i]  # trailing',
      '            # deeper',
      '    # between',
      '    else:',
      '        return {"a": f"v{x}", **e}',
      '        # end of else',
      '    # end of f',
      '# top level',
      '',
    ].join('\n'),
    'expressions: precedence, comparisons, lambdas, conditionals, walrus, slices, await': [
      'async def g():',
      '    y = not a and b or c if d else lambda q, r=2: -q ** 2 + r * 3 // 4 % 5 | 6 & 7 ^ 8 << 1',
      '    z = a < b <= c != d is not e not in f',
      '    if (n := len(s)) > 10: return s[1:n:2], s[::-1], s[a, b:]',
      '    return await session.execute(text("SELECT 1"), {"k": v}), (x for x in y), {1, 2}, {k: v for k, v in d.items()}',
      '',
    ].join('\n'),
    'statements: imports, try, with, for/else, while, del, assert, global, raise from, class, annotations': [
      'from . import a',
      'from ..b.c import (d as e, f,)',
      'import os.path as p, sys',
      'class M(db.Model, metaclass=Meta):',
      '    id: Mapped[int] = mapped_column(primary_key=True)',
      '    name: str | None = None',
      '    def m(self, *, k=1, /): pass',
      'try:',
      '    with open(p) as fh, lock:',
      '        for i, j in items: del d[i], x',
      '        else: assert i, "msg"',
      'except (KeyError, ValueError) as err:',
      '    raise RuntimeError("x") from err',
      'except Exception:',
      '    global g; g += 1',
      'else:',
      '    while True: break',
      'finally:',
      '    pass',
      '',
    ].join('\n'),
    'strings: prefixes, escapes, triple quotes, concatenation, f-strings': String.raw`s = (b"\x00\n" r"\d+" "tab\tq\"" u"" """doc
line""" + '''x''' + f"{a}-{b.c(1)}")
`,
    'f-strings: conversions, format specs with nested fields, escaped braces, escapes, nested quotes': String.raw`y = f"{a!r:>{width}} {{literal}} {d['k']:.2f}\n" + f'{x}' f"{len(s):,}"
`,
  };
  for (const [what, text] of Object.entries(SAMPLES)) {
    it(`accepts and matches: ${what}`, () => {
      const r = compareStatements(text);
      assert.ok(r.accepted, 'refused');
      assert.strictEqual(r.difference, undefined);
    });
  }

  const REFUSED: Record<string, string> = {
    'a line continuation (tree-sitter has a node for it)': 'x = 1 + \\\n    2\n',
    'a match statement': 'match command:\n    case "go":\n        pass\n',
    'a self-documenting f-string': 'x = f"{a=}"\n',
    'a backslash inside an f-string interpolation': String.raw`x = f"{a['\n']}"` + '\n',
    'a tuple target in parentheses': '(a, b) = 1, 2\n',
    'a syntax error': 'def f(:\n    pass\n',
    'an unclosed bracket': 'x = foo(1,\n',
    'an indentation no block has': 'if x:\n        a\n    b\n',
    'a Python 2 print statement': 'print "hello"\n',
    'a non-ASCII identifier': 'café = 1\n',
  };
  for (const [what, text] of Object.entries(REFUSED)) {
    it(`refuses, for tree-sitter to parse: ${what}`, () => assert.strictEqual(parsePython(text), undefined));
  }

  it('a statement it refuses is still analysed, by tree-sitter', () => {
    clearSharedStatements();
    const text = 'from flask import Flask\napp = Flask(__name__)\n@app.route("/a/<int:x>", \\\n    methods=["GET"])\ndef a(x):\n    return f"{x:>4}"\n';
    const before = { ...parsedBy };
    const { index } = new PythonFileAnalyzer().analyse(text, parser);
    assert.deepStrictEqual(
      index.routes.map((r) => [r.rule, r.view]),
      [['/a/<int:x>', 'a']],
    );
    assert.strictEqual(parsedBy.treeSitter - before.treeSitter, 1, 'the route with a line continuation went to tree-sitter');
    assert.strictEqual(parsedBy.fast - before.fast, 2, 'the import and the assignment did not');
  });
});
