/**
 * The Flask language server over real LSP: the shipped bundle (dist/server.js, built by
 * `npm run build`) started as its own process, spoken to with JSON-RPC over stdio from plain
 * Node — initialize, open, edit, diagnostics, completion, definition, quick fixes, routes.
 */
import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');

interface Diag {
  range: { start: { line: number; character: number } };
  code: string;
  message: string;
  severity: number;
  data: unknown;
}

describe('language server over LSP (dist/server.js, stdio)', function () {
  this.timeout(20000);
  let proc: ChildProcess;
  let conn: MessageConnection;
  let dir: string;
  const diagnostics = new Map<string, Diag[]>();
  const waiters: (() => void)[] = [];
  const uri = (rel: string) => pathToFileURL(path.join(dir, rel)).href;

  /** Resolves with the diagnostics of `rel` once `test` holds for them. */
  function diagnosticsOf(rel: string, test: (d: Diag[]) => boolean): Promise<Diag[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`diagnostics of ${rel}: ${JSON.stringify(diagnostics.get(uri(rel)))}`)), 8000);
      const check = () => {
        const d = diagnostics.get(uri(rel));
        if (d && test(d)) {
          clearTimeout(timer);
          resolve(d);
          return true;
        }
        return false;
      };
      if (!check()) waiters.push(() => void check());
    });
  }

  before(async () => {
    assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run npm run build`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-lsp-'));
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'templates', 'base.html'), '<title>{% block title %}{% endblock %}</title>{% block content %}{% endblock %}');
    fs.writeFileSync(path.join(dir, 'templates', 'todos.html'), '{% extends "base.html" %}');
    fs.writeFileSync(
      path.join(dir, 'todos.py'),
      'from flask import Blueprint\nbp = Blueprint("todos", __name__, url_prefix="/todos")\n\n@bp.get("/<int:todo_id>")\ndef show(todo_id):\n    return {"id": todo_id}\n',
    );
    proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diag[] }) => {
      diagnostics.set(p.uri, p.diagnostics);
      waiters.splice(0).forEach((w) => w());
    });
    conn.onNotification('window/logMessage', () => undefined);
    conn.listen();
    const init = await conn.sendRequest<{ capabilities: { completionProvider?: unknown; definitionProvider?: boolean } }>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'ws' }],
      capabilities: {},
      initializationOptions: { protocolVersion: 1 },
    });
    assert.ok(init.capabilities.completionProvider && init.capabilities.definitionProvider);
    await conn.sendNotification('initialized', {});
  });

  after(async () => {
    try {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
    } catch {
      // already gone
    }
    conn?.dispose();
    proc?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const APP = 'from flask import Flask, render_template, url_for\nfrom todos import bp\napp = Flask(__name__)\napp.register_blueprint(bp)\n\n@app.route("/")\ndef home():\n    return render_template("todo.html", link=url_for("todos.shw"))\n';

  it('publishes diagnostics for an open file, with the explanation, and clears them as the learner fixes the code', async () => {
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('app.py'), languageId: 'python', version: 1, text: APP } });
    const d = await diagnosticsOf('app.py', (x) => x.length === 2);
    assert.deepStrictEqual(d.map((x) => x.code).sort(), ['missing-template', 'unknown-endpoint']);
    const endpoint = d.find((x) => x.code === 'unknown-endpoint')!;
    assert.match(endpoint.message, /No route has the endpoint "todos\.shw": did you mean "todos\.show"\?\n\nurl_for\(\) builds a URL/);
    assert.deepStrictEqual(endpoint.range.start, { line: 7, character: 54 });
    // An incremental edit: "shw" → "show" (still missing todo_id=).
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri('app.py'), version: 2 },
      contentChanges: [{ range: { start: { line: 7, character: 60 }, end: { line: 7, character: 63 } }, text: 'show' }],
    });
    const after = await diagnosticsOf('app.py', (x) => x.some((y) => y.code === 'missing-url-param'));
    assert.deepStrictEqual(after.map((x) => x.code).sort(), ['missing-template', 'missing-url-param']);
  });

  it('completes endpoints, URL parameters and template names', async () => {
    type Item = { label: string; detail?: string };
    const at = (line: number, character: number) => ({ textDocument: { uri: uri('app.py') }, position: { line, character } });
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri('app.py'), version: 3 },
      contentChanges: [{ text: `${APP}\ndef other():\n    url_for("\n    url_for("todos.show", \n    render_template("\n` }],
    });
    const endpoints = await conn.sendRequest<Item[]>('textDocument/completion', at(10, 13));
    assert.deepStrictEqual(
      endpoints.map((i) => [i.label, i.detail]),
      [
        ['home', 'GET /'],
        ['todos.show', 'GET /todos/<int:todo_id>'],
        ['static', 'static files: filename=...'],
      ],
    );
    const params = await conn.sendRequest<Item[]>('textDocument/completion', at(11, 26));
    assert.deepStrictEqual(params.map((i) => i.label), ['todo_id=']);
    const templates = await conn.sendRequest<Item[]>('textDocument/completion', at(12, 21));
    assert.deepStrictEqual(templates.map((i) => i.label), ['base.html', 'todos.html']);
  });

  it('goes to the view of an endpoint and to a template file', async () => {
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri('app.py'), version: 4 },
      contentChanges: [{ text: APP.replace('todos.shw', 'todos.show", todo_id=1').replace('"todo.html"', '"todos.html"') }],
    });
    const view = await conn.sendRequest<{ uri: string; range: { start: { line: number } } }>('textDocument/definition', { textDocument: { uri: uri('app.py') }, position: { line: 7, character: 64 } });
    assert.strictEqual(view.uri, uri('todos.py'));
    assert.strictEqual(view.range.start.line, 4);
    const template = await conn.sendRequest<{ uri: string }>('textDocument/definition', { textDocument: { uri: uri('app.py') }, position: { line: 7, character: 30 } });
    assert.strictEqual(template.uri, uri('templates/todos.html'));
    await diagnosticsOf('app.py', (x) => x.length === 0);
  });

  it('offers a quick fix and a "Learn why" action for a diagnostic; lists the routes, with a CodeLens above each', async () => {
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri('app.py'), version: 5 }, contentChanges: [{ text: APP }] });
    const d = await diagnosticsOf('app.py', (x) => x.length === 2);
    const endpoint = d.find((x) => x.code === 'unknown-endpoint')!;
    const actions = await conn.sendRequest<{ title: string; edit?: { changes: Record<string, { newText: string }[]> }; command?: { command: string; arguments: unknown[] } }[]>('textDocument/codeAction', {
      textDocument: { uri: uri('app.py') },
      range: endpoint.range,
      context: { diagnostics: [endpoint] },
    });
    assert.deepStrictEqual(actions.map((a) => a.title), ['Change to "todos.show"', 'Learn why: unknown-endpoint']);
    assert.strictEqual(actions[0].edit!.changes[uri('app.py')][0].newText, 'todos.show');
    assert.deepStrictEqual(actions[1].command, { title: 'Open the walkthrough step', command: 'flaskTutor.openWalkthrough', arguments: ['f1', 'routes'] });
    const lenses = await conn.sendRequest<{ range: { start: { line: number } }; command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: uri('todos.py') } });
    assert.deepStrictEqual(lenses.map((l) => [l.range.start.line, l.command.title]), [[3, 'GET /todos/<int:todo_id>'], [3, '$(play) Try it']]);
    const routes = await conn.sendRequest<{ endpoint: string; rule: string; methods: string[] }[]>('flaskTutor/routes');
    assert.deepStrictEqual(routes.map((r) => [r.endpoint, r.rule, r.methods.join()]), [
      ['home', '/', 'GET'],
      ['todos.show', '/todos/<int:todo_id>', 'GET'],
    ]);
  });
});

describe('language server over LSP: settings, templates', function () {
  this.timeout(20000);
  let proc: ChildProcess;
  let conn: MessageConnection;
  let dir: string;
  const latest = new Map<string, Diag[]>();
  let changed: () => void = () => undefined;
  const uri = (rel: string) => pathToFileURL(path.join(dir, rel)).href;
  const next = (rel: string, ok: (d: Diag[]) => boolean) =>
    new Promise<Diag[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`diagnostics of ${rel}: ${JSON.stringify(latest.get(uri(rel)))}`)), 8000);
      const check = () => {
        const d = latest.get(uri(rel));
        if (d && ok(d)) {
          clearTimeout(timer);
          resolve(d);
        } else changed = check;
      };
      check();
    });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-lsp2-'));
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'templates', 'base.html'), '{% block title %}{% endblock %}{% block content %}{% endblock %}');
    proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diag[] }) => {
      latest.set(p.uri, p.diagnostics);
      changed();
    });
    conn.onNotification('window/logMessage', () => undefined);
    conn.onNotification('flaskTutor/routesChanged', () => undefined);
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'ws' }],
      capabilities: {},
      initializationOptions: { protocolVersion: 1, settings: { enabled: true, severity: { 'literal-secret': 'off', 'unguarded-run': 'error' } } },
    });
    await conn.sendNotification('initialized', {});
  });

  after(() => {
    conn?.dispose();
    proc?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies the severity map: a rule off is not shown, another raised to an error; settings pushed later apply at once', async () => {
    const text = 'from flask import Flask\napp = Flask(__name__)\napp.config["SECRET_KEY"] = "x"\n@app.get("/")\ndef home():\n    return "hi"\napp.run()\n';
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('app.py'), languageId: 'python', version: 1, text } });
    const d = await next('app.py', (x) => x.length > 0);
    assert.deepStrictEqual(d.map((x) => [x.code, x.severity]), [['unguarded-run', 1]]);
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: { flaskTutor: { diagnostics: { enabled: true, severity: {} } } } });
    const again = await next('app.py', (x) => x.length === 2);
    assert.deepStrictEqual(again.map((x) => [x.code, x.severity]).sort(), [['literal-secret', 3], ['unguarded-run', 2]]);
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: { flaskTutor: { diagnostics: { enabled: false, severity: {} } } } });
    await next('app.py', (x) => x.length === 0);
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: { flaskTutor: { diagnostics: { enabled: true, severity: {} } } } });
  });

  it('offers to create a missing template (a child of base.html), and completes block names from the parent', async () => {
    const text = 'from flask import Flask, render_template\napp = Flask(__name__)\n@app.get("/about")\ndef about():\n    return render_template("about.html")\n';
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri('app.py'), version: 2 }, contentChanges: [{ text }] });
    const [missing] = await next('app.py', (x) => x.some((y) => y.code === 'missing-template'));
    const actions = await conn.sendRequest<{ title: string; edit?: { documentChanges: ({ kind: string; uri: string } | { textDocument: { uri: string }; edits: { newText: string }[] })[] } }[]>('textDocument/codeAction', {
      textDocument: { uri: uri('app.py') },
      range: missing.range,
      context: { diagnostics: [missing] },
    });
    const create = actions.find((a) => a.title === 'Create templates/about.html')!;
    const [file, content] = create.edit!.documentChanges;
    assert.deepStrictEqual(file, { kind: 'create', uri: uri('templates/about.html'), options: { ignoreIfExists: true } });
    assert.match((content as { edits: { newText: string }[] }).edits[0].newText, /^{% extends "base.html" %}/);
    const child = '{% extends "base.html" %}\n{% block ';
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('templates/about.html'), languageId: 'jinja-html', version: 1, text: child } });
    const blocks = await conn.sendRequest<{ label: string }[]>('textDocument/completion', { textDocument: { uri: uri('templates/about.html') }, position: { line: 1, character: 9 } });
    assert.deepStrictEqual(blocks.map((b) => b.label), ['title', 'content']);
  });
});

describe('Routes view tree (src/lsp/routesTree.ts)', () => {
  it('groups routes by blueprint, the app first, sorted by rule', async () => {
    const { groupRoutes, routeDescription } = await import('../../src/lsp/routesTree');
    const r = (endpoint: string, rule: string, methods: string[], blueprint?: string) => ({ endpoint, rule, methods, blueprint, uri: 'file:///a.py', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, decoratorRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } });
    const groups = groupRoutes([r('todos.show', '/todos/<int:id>', ['GET'], 'todos'), r('health', '/health', ['GET']), r('auth.login', '/login', ['POST'], 'auth'), r('todos.index', '/todos', ['GET', 'POST'], 'todos')]);
    assert.deepStrictEqual(groups.map((g) => [g.blueprint, g.routes.map((x) => x.rule)]), [
      [undefined, ['/health']],
      ['auth', ['/login']],
      ['todos', ['/todos', '/todos/<int:id>']],
    ]);
    assert.strictEqual(routeDescription(groups[2].routes[0]), 'GET, POST → index()');
  });
});
