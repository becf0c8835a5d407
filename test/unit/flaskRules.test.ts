/**
 * The Flask analysis (src/flask) on real tree-sitter trees: the index of routes, endpoints and
 * templates, and each tutor diagnostic with a sample that must raise it and one that must not.
 * The course's own solutions, variants and demos raise no warning (the false-positive corpus).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { splitTopLevel } from '../../src/flask/chunks';
import { clearSharedStatements, PythonFileAnalyzer } from '../../src/flask/fileAnalysis';
import { indexPython } from '../../src/flask/pyIndex';
import { indexJinja } from '../../src/flask/jinja';
import { FlaskDiagnostic, jinjaDiagnostics, pythonDiagnostics, RuleId, RULES, statementDiagnostics } from '../../src/flask/rules';
import type { PythonParser } from '../../src/flask/syntax';
import { loadTestParser } from './pythonParser';
import { FlaskWorkspace, templateName } from '../../src/flask/workspace';

const ROOT = path.resolve(__dirname, '..', '..', '..');
let parser: PythonParser;

before(async () => {
  parser = await loadTestParser();
});

/** Diagnostics of `files` (path → source; paths under templates/ are templates). */
function analyse(files: Record<string, string>): FlaskDiagnostic[] & { ws?: FlaskWorkspace } {
  const ws = new FlaskWorkspace();
  const trees = new Map<string, ReturnType<PythonParser['parse']>>();
  for (const [file, text] of Object.entries(files)) {
    if (file.endsWith('.py')) {
      const tree = parser.parse(text);
      trees.set(file, tree);
      ws.setPython(file, indexPython(tree));
    } else {
      const name = templateName(file);
      if (name) ws.setTemplate({ uri: file, name });
    }
  }
  const out: FlaskDiagnostic[] & { ws?: FlaskWorkspace } = [...trees].flatMap(([file, tree]) => pythonDiagnostics(tree, ws.python(file)!, ws, file));
  for (const [file, text] of Object.entries(files)) if (!file.endsWith('.py') && text) out.push(...jinjaDiagnostics(indexJinja(text), ws));
  out.ws = ws;
  return out;
}

const rules = (d: FlaskDiagnostic[]) => d.map((x) => x.rule);
const APP = 'from flask import Flask, request, url_for, render_template\napp = Flask(__name__)\n';

/** Each rule: code that must raise it, and correct code close to it that must not. */
const SAMPLES: Record<RuleId, { bad: Record<string, string>; good: Record<string, string> }> = {
  'unknown-endpoint': {
    bad: { 'app.py': `${APP}@app.route("/todos")\ndef list_todos():\n    return url_for("list_todo")\n` },
    good: { 'app.py': `${APP}@app.route("/todos")\ndef list_todos():\n    return url_for("list_todos") + url_for("static", filename="a.css")\n` },
  },
  'missing-url-param': {
    bad: { 'app.py': `${APP}@app.get("/todos/<int:todo_id>")\ndef show(todo_id):\n    return url_for("show")\n` },
    good: { 'app.py': `${APP}@app.get("/todos/<int:todo_id>")\ndef show(todo_id):\n    return url_for("show", todo_id=todo_id)\n` },
  },
  'missing-template': {
    bad: { 'app.py': `${APP}@app.route("/")\ndef home():\n    return render_template("index.htm")\n`, 'templates/index.html': '' },
    good: { 'app.py': `${APP}@app.route("/")\ndef home():\n    return render_template("todos/index.html")\n`, 'templates/todos/index.html': '' },
  },
  'body-on-get': {
    bad: { 'app.py': `${APP}@app.route("/echo")\ndef echo():\n    return request.get_json()\n` },
    good: { 'app.py': `${APP}@app.route("/echo", methods=["POST"])\ndef echo():\n    return request.get_json()\n@app.get("/search")\ndef search():\n    return {"q": request.args.get("q")}\n` },
  },
  'unguarded-run': {
    bad: { 'app.py': `${APP}@app.route("/")\ndef home():\n    return "hi"\napp.run()\n` },
    good: { 'app.py': `${APP}@app.route("/")\ndef home():\n    return "hi"\nif __name__ == "__main__":\n    app.run(debug=True)\n` },
  },
  'literal-secret': {
    bad: { 'app.py': `${APP}app.config["SECRET_KEY"] = "hunter2"\n` },
    good: { 'app.py': `import os\n${APP}app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]\nclass TestingConfig:\n    SECRET_KEY = "test"\n` },
  },
  'debug-in-code': {
    bad: { 'app.py': `${APP}app.config["DEBUG"] = True\n` },
    good: { 'app.py': `${APP}class DevelopmentConfig:\n    DEBUG = True\nif __name__ == "__main__":\n    app.run(debug=True)\n` },
  },
  'sql-string': {
    bad: { 'app.py': `${APP}from sqlalchemy import text\ndef find(db, name):\n    return db.session.execute(text(f"SELECT * FROM user WHERE name = '{name}'"))\ndef find2(cur, name):\n    return cur.execute("SELECT * FROM user WHERE name = '%s'" % name)\ndef find3(db, user_id, n):\n    return db.session.execute(text(f"SELECT * FROM user WHERE id = {user_id} " f"LIMIT {n}"))\n` },
    // A table or column name from the code's own constants is not a value: it cannot be bound.
    good: { 'app.py': `${APP}from sqlalchemy import text\ndef find(db, name):\n    return db.session.execute(text("SELECT * FROM user WHERE name = :n"), {"n": name})\ndef find2(cur, name):\n    return cur.execute("SELECT * FROM user WHERE name = ?", (name,))\nclass Index:\n    table = "post_fts"\n    def count(self, db, m):\n        return db.session.execute(text(f"SELECT count(*) FROM {self.table} WHERE {self.table} MATCH :m"), {"m": m})\n` },
  },
  'decorator-order': {
    bad: { 'app.py': `${APP}from flask_login import login_required\n@login_required\n@app.route("/dashboard")\ndef dashboard():\n    return "secret"\n` },
    good: { 'app.py': `${APP}from flask_login import login_required\n@app.route("/dashboard")\n@login_required\ndef dashboard():\n    return "secret"\n` },
  },
  'route-param-missing': {
    bad: { 'app.py': `${APP}@app.route("/users/<int:user_id>")\ndef show_user(id):\n    return str(id)\n` },
    good: { 'app.py': `${APP}@app.route("/users/<int:user_id>")\ndef show_user(user_id):\n    return str(user_id)\n@app.route("/files/<path:name>")\ndef files(**kwargs):\n    return "x"\n` },
  },
  'view-param-unbound': {
    bad: { 'app.py': `${APP}@app.route("/users")\ndef users(page):\n    return str(page)\n` },
    good: { 'app.py': `${APP}@app.route("/users", defaults={"page": 1})\n@app.route("/users/page/<int:page>")\ndef users(page=1):\n    return str(page)\n` },
  },
  'duplicate-endpoint': {
    bad: { 'app.py': `${APP}@app.route("/a", endpoint="thing")\ndef a():\n    return "a"\n@app.route("/b", endpoint="thing")\ndef b():\n    return "b"\n` },
    good: { 'app.py': `${APP}@app.route("/a")\n@app.route("/a/<int:n>")\ndef a(n=0):\n    return "a"\n` },
  },
  'view-returns-nothing': {
    bad: { 'app.py': `${APP}@app.route("/")\ndef home():\n    render_template("index.html")\n`, 'templates/index.html': '' },
    good: { 'app.py': `${APP}from flask import abort\n@app.route("/")\ndef home():\n    return render_template("index.html")\n@app.route("/gone")\ndef gone():\n    abort(410)\n`, 'templates/index.html': '' },
  },
  'add-without-commit': {
    bad: { 'app.py': `${APP}@app.post("/todos")\ndef create(db=None):\n    db.session.add(object())\n    return {}, 201\n` },
    good: { 'app.py': `${APP}@app.post("/todos")\ndef create(db=None):\n    db.session.add(object())\n    db.session.commit()\n    return {}, 201\n` },
  },
  'markup-request-data': {
    bad: { 'app.py': `${APP}from markupsafe import Markup\n@app.route("/hello")\ndef hello():\n    return Markup(f"<b>{request.args['name']}</b>")\n` },
    good: { 'app.py': `${APP}from markupsafe import Markup, escape\n@app.route("/hello")\ndef hello():\n    return Markup("<b>{}</b>").format(request.args["name"])\n` },
  },
  'jsonify-model': {
    bad: { 'app.py': `${APP}from flask import jsonify\n@app.get("/todos/<int:todo_id>")\ndef show(todo_id):\n    todo = db.get_or_404(Todo, todo_id)\n    return jsonify(todo)\n` },
    good: { 'app.py': `${APP}from flask import jsonify\n@app.get("/todos/<int:todo_id>")\ndef show(todo_id):\n    todo = db.get_or_404(Todo, todo_id)\n    return jsonify(todo.to_dict())\n@app.get("/q")\ndef q():\n    term = request.args.get("q")\n    return jsonify(term)\n` },
  },
  'safe-request-data': {
    bad: { 'app.py': `${APP}@app.get("/")\ndef home():\n    return render_template("index.html")\n`, 'templates/index.html': '<p>{{ request.args.get("q") | safe }}</p>' },
    good: { 'app.py': `${APP}@app.get("/")\ndef home():\n    return render_template("index.html", intro=intro)\n`, 'templates/index.html': '<p>{{ request.args.get("q") }}</p>{{ intro|safe }}' },
  },
  'plaintext-password': {
    bad: { 'app.py': `${APP}@app.post("/users")\ndef create():\n    data = request.get_json()\n    user = User(username=data["username"], password=data["password"])\n    return {}, 201\n` },
    good: { 'app.py': `${APP}from werkzeug.security import generate_password_hash\n@app.post("/users")\ndef create():\n    data = request.get_json()\n    user = User(username=data["username"], password=generate_password_hash(data["password"]))\n    return {}, 201\n` },
  },
};

describe('flask analysis: routes, endpoints, templates', () => {
  it('indexes apps, blueprints with prefixes, routes with methods, url_for and render_template', () => {
    const d = analyse({
      'app.py': `${APP}from todos import bp\napp.register_blueprint(bp, url_prefix="/api")\n`,
      'todos.py': 'from flask import Blueprint, url_for\nbp = Blueprint("todos", __name__)\n@bp.get("/todos/<int:todo_id>")\ndef show(todo_id):\n    return url_for(".show", todo_id=todo_id)\n@bp.route("/todos", methods=["GET", "post"])\ndef collection():\n    return url_for("todos.show", todo_id=1)\n',
    });
    const eps = d.ws!.endpoints();
    assert.deepStrictEqual(
      eps.map((e) => [e.name, e.rules, e.methods, e.required]),
      [
        ['todos.collection', ['/api/todos'], ['GET', 'POST'], []],
        ['todos.show', ['/api/todos/<int:todo_id>'], ['GET'], ['todo_id']],
      ],
    );
    assert.deepStrictEqual([...d], []);
    assert.strictEqual(templateName('/w/app/templates/todos/list.html'), 'todos/list.html');
    assert.strictEqual(templateName('/w/app/static/x.css'), undefined);
  });

  it('offers the closest endpoint and template as a fix', () => {
    const [d] = analyse(SAMPLES['unknown-endpoint'].bad);
    assert.match(d.message, /did you mean "list_todos"/);
    assert.strictEqual(d.fix?.edit?.text, 'list_todos');
    const [t] = analyse(SAMPLES['missing-template'].bad);
    assert.strictEqual(t.fix?.edit?.text, 'index.html');
    const [typo] = analyse({ 'app.py': `${APP}@app.get("/t/<int:todo_id>")\ndef show(todo_id):\n    return url_for("show", todo_idd=1, page=2)\n` });
    assert.strictEqual(typo.message, 'url_for("show") needs todo_id=...: its rule is /t/<int:todo_id> (todo_idd= looks like a typo of todo_id=).');
    const [c] = analyse({ 'app.py': `${APP}@app.route("/")\ndef home():\n    return render_template("about.html")\n` });
    assert.strictEqual(c.fix?.createTemplate, 'about.html');
  });

  it('reads add_url_rule endpoints, and stays quiet when endpoints come in ways it does not read (Flask-RESTX)', () => {
    const files = { 'app.py': `${APP}def show():\n    return url_for("index") + url_for("show") + url_for("todos") + url_for("nope")\napp.add_url_rule("/", endpoint="index")\napp.add_url_rule("/s", view_func=show)\napp.add_url_rule("/t", view_func=TodoAPI.as_view("todos"), methods=["GET", "POST"])\n` };
    assert.deepStrictEqual(analyse(files).map((d) => d.message), ['No route has the endpoint "nope".']);
    assert.deepStrictEqual(analyse(files).ws!.endpoint('todos')?.methods, ['GET', 'POST']);
    assert.deepStrictEqual(rules(analyse({ 'app.py': `${APP}from flask_restx import Api\napi = Api(app)\ndef f():\n    return url_for("x")\n` })), []);
  });

  for (const [rule, { bad, good }] of Object.entries(SAMPLES) as [RuleId, (typeof SAMPLES)[RuleId]][]) {
    it(`${rule} (${RULES[rule].severity}): raised on the mistake, not on correct code`, () => {
      assert.ok(rules(analyse(bad)).includes(rule), `expected ${rule} in ${JSON.stringify(analyse(bad).map((x) => [x.rule, x.message]))}`);
      assert.deepStrictEqual(rules(analyse(good)), [], JSON.stringify(analyse(good).map((x) => [x.rule, x.message])));
    });
  }

  it('every rule explains itself in one paragraph and names a walkthrough step that exists', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { walkthroughs: { id: string; steps: { id: string }[] }[] } };
    const steps = new Set(pkg.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => `${w.id}#${s.id}`)));
    for (const [id, rule] of Object.entries(RULES)) {
      assert.ok(rule.explain.length > 60 && !rule.explain.includes('\n'), id);
      assert.ok(rule.teach && steps.has(`flaskTutor.${rule.teach.chapter}#${rule.teach.step}`), `${id} names a step that exists: ${JSON.stringify(rule.teach)}`);
    }
  });
});

describe('flask analysis: statement cache (src/flask/fileAnalysis.ts, src/flask/chunks.ts)', () => {
  /** What a whole-file parse answers: the reference the statement-by-statement analysis must equal. */
  const whole = (text: string) => {
    const tree = parser.parse(text);
    try {
      const index = indexPython(tree);
      return { index, local: statementDiagnostics(tree.rootNode, index) };
    } finally {
      tree.delete();
    }
  };

  it('after an edit reads only the changed statement, and answers exactly what a full analysis does', () => {
    const views = Array.from({ length: 30 }, (_, i) => `@app.route("/v${i}/<int:id>")\ndef v${i}(id):\n    return url_for("v${i}", id=id)\n`).join('\n');
    let text = `${APP}\n${views}\napp.run()\n`;
    clearSharedStatements();
    const analyzer = new PythonFileAnalyzer();
    analyzer.analyse(text, parser);
    assert.ok(analyzer.lastRead > 30);
    // Another file with the same statements (or the same file reopened) reads none of them again.
    const other = new PythonFileAnalyzer();
    assert.deepStrictEqual(other.analyse(text, parser), whole(text));
    assert.strictEqual(other.lastRead, 0);
    const check = (edited: string, reads: number) => {
      const cached = analyzer.analyse(edited, parser);
      assert.strictEqual(analyzer.lastRead, reads);
      assert.deepStrictEqual(cached, whole(edited));
    };
    // One view changes: one statement read.
    text = text.replace('def v7(id):\n    return', 'def v7(id):\n    x = 1\n    return');
    check(text, 1);
    // A statement inserted at the top moves every other one down: only it is read.
    text = `import os\n${text}`;
    check(text, 1);
    // A comment line between two views: only the statement it follows is read again.
    text = text.replace('\n@app.route("/v12/', '\n# twelve\n@app.route("/v12/');
    check(text, 1);
    // A view loses its return: read again, and the diagnostic is on the right line.
    text = text.replace('def v20(id):\n    return url_for("v20", id=id)', 'def v20(id):\n    url_for("v20", id=id)');
    check(text, 1);
  });

  it('cuts a file at its top-level statements only: never inside strings, brackets, continuations, decorators or else clauses', () => {
    const lines = [
      '"""Module docstring',
      'x = 1  (not code)',
      '"""',
      '# a comment at the top level',
      'CONFIG = {',
      '"a": 1,',
      '}',
      'total = 1 + \\',
      '2',
      `s = 'it\\'s' + "#" + '''`,
      `still = 'a string'`,
      `'''`,
      '@app.route("/")',
      '@login_required',
      'def home():',
      '    return "("',
      'if __name__ == "__main__":',
      '    app.run()',
      'else:',
      '    pass',
      'try:',
      '    import x',
      'except ImportError:',
      '    x = None',
      'finally:',
      '    pass',
      'bad = "unterminated',
      'after = 2',
      '',
    ];
    const text = lines.join('\n');
    const chunks = splitTopLevel(text);
    assert.strictEqual(chunks.map((c) => c.text).join(''), text);
    assert.deepStrictEqual(
      chunks.map((c) => c.text.split('\n')[0]),
      ['"""Module docstring', 'CONFIG = {', 'total = 1 + \\', `s = 'it\\'s' + "#" + '''`, '@app.route("/")', 'if __name__ == "__main__":', 'try:', 'bad = "unterminated', 'after = 2'],
    );
    for (const c of chunks) assert.strictEqual(lines[c.line], c.text.split('\n')[0]);
    // Each chunk is what the whole-file parse calls one statement (plus the comments after it).
    const valid = text.replace('bad = "unterminated\n', '');
    assert.deepStrictEqual(new PythonFileAnalyzer().analyse(valid, parser), whole(valid));
  });

  it('answers what a whole-file parse does for every Python file of the course and the corpus', function () {
    this.timeout(120_000); // about 2,000 files, each parsed twice
    const walk = (d: string): string[] =>
      fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'node_modules' || e.name.startsWith('.') ? [] : walk(path.join(d, e.name))) : e.name.endsWith('.py') ? [path.join(d, e.name)] : []));
    const files = ['exercises', 'demos', 'snippets', 'test/fixtures/flask-corpus', 'python'].flatMap((d) => (fs.existsSync(path.join(ROOT, d)) ? walk(path.join(ROOT, d)) : []));
    assert.ok(files.length > 300, `${files.length} files`);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      assert.deepStrictEqual(new PythonFileAnalyzer().analyse(text, parser), whole(text), path.relative(ROOT, file));
    }
  });
});

describe('flask analysis: no warning on the course\'s own correct code (false-positive corpus)', () => {
  it('every reference solution, variant and demo, and the corpus of apps in other styles', () => {
    const walk = (d: string): string[] =>
      fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === '__pycache__' ? [] : walk(path.join(d, e.name))) : [path.join(d, e.name)]));
    const roots: string[] = [];
    for (const chapter of fs.readdirSync(path.join(ROOT, 'exercises'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
      for (const ex of fs.readdirSync(path.join(ROOT, 'exercises', chapter.name))) {
        const dir = path.join(ROOT, 'exercises', chapter.name, ex);
        roots.push(path.join(dir, 'solution'));
        if (fs.existsSync(path.join(dir, 'variants'))) for (const v of fs.readdirSync(path.join(dir, 'variants'))) roots.push(path.join(dir, 'variants', v));
      }
    }
    for (const d of fs.readdirSync(path.join(ROOT, 'demos'), { withFileTypes: true }).filter((e) => e.isDirectory())) roots.push(path.join(ROOT, 'demos', d.name));
    // Apps in the styles of Flask's tutorial, its JavaScript example, Flask-SQLAlchemy's examples
    // and larger open-source apps, written by us (test/fixtures/flask-corpus/README.md).
    const corpus = path.join(ROOT, 'test', 'fixtures', 'flask-corpus');
    for (const d of fs.readdirSync(corpus, { withFileTypes: true }).filter((e) => e.isDirectory())) roots.push(path.join(corpus, d.name));
    const warnings: string[] = [];
    let templates = 0;
    for (const root of roots) {
      const paths = walk(root).filter((f) => f.endsWith('.py') || templateName(f));
      const found = analyse(Object.fromEntries(paths.map((f) => [f, f.endsWith('.py') ? fs.readFileSync(f, 'utf8') : ''])));
      for (const f of paths.filter((p) => !p.endsWith('.py'))) {
        templates++;
        found.push(...jinjaDiagnostics(indexJinja(fs.readFileSync(f, 'utf8')), found.ws!));
      }
      for (const d of found) if (d.severity === 'warning' || d.severity === 'error') warnings.push(`${d.rule} ${root}: ${d.message}`);
    }
    assert.ok(roots.length > 100 && templates > 20, `${roots.length} trees, ${templates} templates`);
    assert.deepStrictEqual(warnings, []);
  });
});

describe('flask analysis: Jinja templates (src/flask/jinja.ts)', () => {
  it('finds url_for endpoints and template names inside Jinja delimiters only, with their spans', async () => {
    const { indexJinja } = await import('../../src/flask/jinja');
    // An endpoint built with ~ names no endpoint (the Blog Platform's admin templates do that).
    const text = '{% extends "base.html" %}\n<a href="url_for(\'not.this\')">{{ url_for("todos.show", todo_id=t.id) }}</a>{{ url_for(\'admin.\' ~ action, post_id=1) }}\n{% include \'nav.html\' %}{% block content %}{% endblock %}';
    const index = indexJinja(text);
    assert.deepStrictEqual(
      index.refs.map((r) => [r.kind, r.name, r.span.start.line, r.span.start.character, r.keywords]),
      [
        ['template', 'base.html', 0, 12, undefined],
        ['endpoint', 'todos.show', 1, 42, ['todo_id']],
        ['template', 'nav.html', 2, 12, undefined],
      ],
    );
    assert.deepStrictEqual(index.blocks.map((b) => b.name), ['content']);
  });

  it('knows what is being typed: an endpoint, a URL parameter, a template, a block', async () => {
    const { typingContext } = await import('../../src/flask/jinja');
    assert.deepStrictEqual(typingContext('<a href="{{ url_for(\'tod'), { kind: 'endpoint', typed: 'tod' });
    assert.deepStrictEqual(typingContext('    return redirect(url_for("todos.show", '), { kind: 'url-param', endpoint: 'todos.show', typed: '' });
    assert.deepStrictEqual(typingContext('{% extends "ba'), { kind: 'template', typed: 'ba' });
    assert.deepStrictEqual(typingContext('    return render_template("todos/'), { kind: 'template', typed: 'todos/' });
    assert.deepStrictEqual(typingContext('{% block con'), { kind: 'block', typed: 'con' });
    assert.strictEqual(typingContext('x = "url'), undefined);
  });

  it('flags an unknown endpoint, a missing URL parameter and a missing template in a template', async () => {
    const { indexJinja } = await import('../../src/flask/jinja');
    const { jinjaDiagnostics } = await import('../../src/flask/rules');
    const ws = analyse({ 'app.py': `${APP}@app.get("/t/<int:todo_id>")\ndef show(todo_id):\n    return "x"\n`, 'templates/base.html': '' }).ws!;
    const found = jinjaDiagnostics(indexJinja('{% extends "bse.html" %}{{ url_for("sho") }}{{ url_for("show") }}{{ url_for(".relative") }}{{ url_for("static", filename="a.css") }}'), ws);
    assert.deepStrictEqual(found.map((d) => [d.rule, d.message]), [
      ['missing-template', 'There is no template "bse.html" in a templates folder: did you mean "base.html"?'],
      ['unknown-endpoint', 'No route has the endpoint "sho": did you mean "show"?'],
      ['missing-url-param', 'url_for("show") needs todo_id=...: its rule is /t/<int:todo_id>.'],
    ]);
  });
});
