import * as assert from 'assert';
import {
  SnippetSyntaxError,
  applyTransform,
  expandSnippet,
  expansionVariants,
  findDuplicates,
  lintBody,
  lintSnippet,
  parseSnippet,
  position,
} from '../../src/core/snippetBody';

describe('snippetBody.expandSnippet', () => {
  const cases: { title: string; body: string | string[]; expected: string; variables?: Record<string, string> }[] = [
    { title: 'plain text', body: 'return 1', expected: 'return 1' },
    { title: 'placeholder default', body: 'def ${1:index}():', expected: 'def index():' },
    { title: 'nested placeholders', body: 'url_for("x"${1:, ${2:id}=${3:1}})', expected: 'url_for("x", id=1)' },
    { title: 'empty tab stops in all three forms', body: 'a$1b${2}c$0d', expected: 'abcd' },
    { title: 'a mirror takes the default given elsewhere', body: '${1:Post}: $1 ${1}', expected: 'Post: Post Post' },
    { title: 'a mirror before its placeholder', body: '$1 = ${1:x}', expected: 'x = x' },
    { title: 'a default that mirrors another tab stop', body: '${1:a} ${2:$1_b}', expected: 'a a_b' },
    { title: 'choice: first option', body: 'methods=["${1|GET,POST|}"]', expected: 'methods=["GET"]' },
    { title: 'choice mirrored by a tab stop', body: '${1|404,500|}: $1', expected: '404: 404' },
    { title: 'escaped option separators', body: '${1|a\\,b,c\\|d|}', expected: 'a,b' },
    { title: 'escaped dollar, brace and backslash', body: 'cost \\$5 \\} \\\\n', expected: 'cost $5 } \\n' },
    { title: 'a backslash before another character stays', body: 'r"\\d+\\n"', expected: 'r"\\d+\\n"' },
    { title: 'escaped brace inside a default', body: 'return ${1:{"ok": True\\}}', expected: 'return {"ok": True}' },
    { title: 'a top-level closing brace is text', body: 'x = {"a": ${1:1}}', expected: 'x = {"a": 1}' },
    { title: 'known variable with sample value', body: 'bp = "$TM_FILENAME_BASE"', expected: 'bp = "views"' },
    { title: 'variable in braces', body: '${TM_FILENAME}', expected: 'views.py' },
    { title: 'empty variable falls back to its default', body: '${TM_SELECTED_TEXT:pass}', expected: 'pass' },
    { title: 'known but unset variable is empty', body: '[$CLIPBOARD]', expected: '[]' },
    { title: 'unknown variable inserts its name', body: '$name', expected: 'name' },
    { title: 'caller-supplied variables', body: '${TM_FILENAME_BASE:x}', expected: 'auth', variables: { TM_FILENAME_BASE: 'auth' } },
    { title: 'variable transform', body: '${TM_FILENAME_BASE/(.*)/${1:/upcase}/}', expected: 'VIEWS' },
    { title: 'tab stop transform of the default', body: '${1:blog_post} ${1/(^|_)([a-z])/${2:/upcase}/g}', expected: 'blog_post BlogPost' },
    { title: 'transform with if/else format', body: '${1:x} ${1/(y)?.*/${1:?yes:no}/}', expected: 'x no' },
    { title: 'lines are joined with newlines', body: ['def f():', '\t${0:pass}'], expected: 'def f():\n\tpass' },
    { title: 'literal $ that starts nothing', body: 'a $ b', expected: 'a $ b' },
  ];
  for (const c of cases) {
    it(c.title, () => {
      assert.strictEqual(expandSnippet(c.body, c.variables ? { variables: c.variables } : {}), c.expected);
    });
  }

  it('uses the chosen option of a choice', () => {
    assert.strictEqual(expandSnippet('${1|a,b|}-$1', { choices: { 1: 'b' } }), 'b-b');
  });

  it('does not loop on a self-referencing placeholder', () => {
    assert.strictEqual(expandSnippet('${1:a$1b}'), 'ab');
  });
});

describe('snippetBody.parseSnippet', () => {
  it('builds the node tree with offsets', () => {
    const { nodes } = parseSnippet('x ${1:a$2} ${3|p,q|}');
    assert.deepStrictEqual(nodes, [
      { type: 'text', value: 'x ', offset: 0 },
      { type: 'placeholder', index: 1, offset: 2, children: [{ type: 'text', value: 'a', offset: 6 }, { type: 'tabstop', index: 2, offset: 7 }] },
      { type: 'text', value: ' ', offset: 10 },
      { type: 'choice', index: 3, options: ['p', 'q'], offset: 11 },
    ]);
  });

  it('records loose dollars', () => {
    assert.deepStrictEqual(parseSnippet('a $ b $1 $').looseDollars, [2, 9]);
  });

  const errors: { body: string; message: RegExp; offset: number }[] = [
    { body: 'x ${1:abc', message: /unterminated placeholder/, offset: 2 },
    { body: '${1|a,b}', message: /unterminated choice/, offset: 0 },
    { body: '${1|a,b|', message: /expected '}'/, offset: 0 },
    { body: '${}', message: /tab stop number or a variable name/, offset: 0 },
    { body: '${1 }', message: /after \$\{1/, offset: 3 },
    { body: '${NAME:x', message: /unterminated variable/, offset: 0 },
    { body: '${1/(/x/}', message: /invalid transform regex/, offset: 0 },
  ];
  for (const e of errors) {
    it(`rejects ${JSON.stringify(e.body)}`, () => {
      assert.throws(() => parseSnippet(e.body), (error: unknown) => error instanceof SnippetSyntaxError && e.message.test(error.message) && error.offset === e.offset);
    });
  }
});

describe('snippetBody.applyTransform', () => {
  it('replaces the first match, or all with g', () => {
    assert.strictEqual(applyTransform('a-b-c', { regex: '-', format: ['_'], flags: '' }), 'a_b-c');
    assert.strictEqual(applyTransform('a-b-c', { regex: '-', format: ['_'], flags: 'g' }), 'a_b_c');
  });
  it('applies case modifiers', () => {
    const t = (modifier: string) => applyTransform('hello world', { regex: '.*', format: [{ group: 0, modifier }], flags: '' });
    assert.deepStrictEqual(
      ['upcase', 'downcase', 'capitalize', 'pascalcase', 'camelcase'].map(t),
      ['HELLO WORLD', 'hello world', 'Hello world', 'HelloWorld', 'helloWorld'],
    );
  });
});

describe('snippetBody.expansionVariants', () => {
  it('gives the defaults and one variant per further choice option', () => {
    assert.deepStrictEqual(expansionVariants('${1|a,b|} ${2:x} ${3|p,q,r|} $1$0'), [
      { label: 'defaults', text: 'a x p a' },
      { label: '$1=b', text: 'b x p b' },
      { label: '$3=q', text: 'a x q a' },
      { label: '$3=r', text: 'a x r a' },
    ]);
  });
});

describe('snippetBody.lintBody', () => {
  const cases: { title: string; body: string | string[]; problems: RegExp[] }[] = [
    { title: 'a good body', body: '@app.route("/${1:path}")\ndef ${2:view}():\n\t${0:pass}', problems: [] },
    { title: 'mirrors and nested stops in order', body: '${1:a} ${2:${3:b}} $1 $3$0', problems: [] },
    { title: 'no final cursor', body: '${1:x}', problems: [/no final cursor position/] },
    { title: 'two final cursors', body: '$0 $0', problems: [/\$0 appears 2 times/] },
    { title: 'gaps in the numbering', body: '${1:a} ${4:b}$0', problems: [/\$2, \$3 missing/] },
    { title: 'numbers out of reading order', body: '${2:a} ${1:b}$0', problems: [/\$1 first appears after \$2/] },
    { title: 'conflicting defaults', body: '${1:a} ${1:b}$0', problems: [/line 1:8: tab stop \$1 has a different default/] },
    { title: 'a choice with one option', body: '${1|a|}$0', problems: [/at least two options/] },
    { title: 'a choice that repeats an option', body: '${1|a,a|}$0', problems: [/repeats an option/] },
    { title: 'a literal dollar', body: 'price = "$ 5"$0', problems: [/line 1:10: literal '\$' must be escaped/] },
    { title: 'an unknown variable (an unescaped $name)', body: ['x = 1', 'echo $HOME$0'], problems: [/line 2:6: unknown variable 'HOME'/] },
    { title: 'a syntax error is reported with its position', body: ['ok', 'x ${1:a'], problems: [/^line 2:3: unterminated placeholder/] },
  ];
  for (const c of cases) {
    it(c.title, () => {
      const problems = lintBody(c.body);
      assert.strictEqual(problems.length, c.problems.length, problems.join('\n'));
      c.problems.forEach((re, i) => assert.match(problems[i], re));
    });
  }
});

describe('snippetBody.lintSnippet', () => {
  const good = { prefix: 'fl-route', name: 'Route', description: 'A view function on a route.', body: ['@app.route("/${1}")', 'def ${2:view}():', '\t${0:pass}'] };
  const cases: { title: string; change: Partial<typeof good>; problem?: RegExp }[] = [
    { title: 'a good snippet', change: {} },
    { title: 'prefix outside the scheme', change: { prefix: 'flask-route' }, problem: /does not follow the scheme/ },
    { title: 'prefix with upper case', change: { prefix: 'fl-Route' }, problem: /does not follow the scheme/ },
    { title: 'prefix with a double hyphen', change: { prefix: 'fl--route' }, problem: /does not follow the scheme/ },
    { title: 'missing description', change: { description: '' }, problem: /description is missing or too short/ },
    { title: 'description without a full stop', change: { description: 'A view function on a route' }, problem: /full stop/ },
    { title: 'missing name', change: { name: '' }, problem: /name is missing/ },
    { title: 'trailing whitespace', change: { body: ['x = ${1:1} ', '$0'] }, problem: /line 1: trailing whitespace/ },
    { title: 'a path placeholder after its slash', change: { body: ['@app.route("/${1:hello}")', 'def f():', '\t${0:pass}'] }, problem: /line 1: put the leading "\/" of a path inside its placeholder/ },
    { title: 'space indentation', change: { body: ['def f():', '    ${0:pass}'] }, problem: /line 2: indent with tabs/ },
    { title: 'a tab after spaces', change: { body: ['def f():', ' \t${0:pass}'] }, problem: /line 2: a tab after spaces/ },
    { title: 'empty body', change: { body: [] }, problem: /body is empty/ },
  ];
  for (const c of cases) {
    it(c.title, () => {
      const problems = lintSnippet({ ...good, ...c.change });
      if (!c.problem) assert.deepStrictEqual(problems, []);
      else assert.ok(problems.some((p) => c.problem!.test(p)), problems.join('\n'));
    });
  }
  it('allows spaces after tabs (YAML in a docstring)', () => {
    assert.deepStrictEqual(lintSnippet({ ...good, body: ['def f():', '\t"""Doc.', '\t  - item', '\t"""', '\t${0:pass}'] }), []);
  });
});

describe('snippetBody helpers', () => {
  it('position gives 1-based line and column', () => {
    assert.deepStrictEqual(position('ab\ncd', 4), { line: 2, column: 2 });
  });
  it('findDuplicates keeps only repeated keys', () => {
    const dups = findDuplicates(['a', 'b', 'a', 'c', 'a'], (x) => x);
    assert.deepStrictEqual([...dups], [['a', ['a', 'a', 'a']]]);
  });
});
