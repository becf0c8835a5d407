/**
 * The Flask language server in the real VS Code: it starts when a Flask file opens, and its
 * diagnostics, completion, definition, quick fix and the Routes view work through VS Code's own
 * providers. Workspace: fixtures/lsp (an app, a blueprint, a template; app.py names
 * "products.detial").
 */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { activate, workspaceFolder } from '../helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, get: () => T | Promise<T>, ok: (v: T) => boolean, ms = 20000): Promise<T> {
  const end = Date.now() + ms;
  let last: T = await get();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(last)}`);
    await sleep(200);
    last = await get();
  }
  return last;
}

describe('language server: Flask intelligence in the editor', function () {
  this.timeout(60000);
  const file = (rel: string) => vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, 'shop', rel));
  const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Flask Tutor');

  it('starts when a Python file importing Flask opens, and flags the unknown endpoint with the explanation', async () => {
    const api = await activate();
    assert.strictEqual(api.languageServer.started(), false, 'not started at activation');
    const doc = await vscode.workspace.openTextDocument(file('app.py'));
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'python');
    const diags = await until('diagnostics of app.py', () => ours(doc.uri), (d) => d.length > 0);
    assert.deepStrictEqual(diags.map((d) => d.code), ['unknown-endpoint']);
    assert.match(diags[0].message, /No route has the endpoint "products\.detial": did you mean "products\.detail"\?/);
    assert.strictEqual(diags[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(doc.getText(diags[0].range), 'products.detial');
  });

  it('completes endpoints inside url_for("…") with their methods and rule', async () => {
    const doc = await vscode.workspace.openTextDocument(file('app.py'));
    const line = doc.lineAt(10).text;
    const at = new vscode.Position(10, line.indexOf('products.detial'));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
    const ours = list.items.filter((i) => typeof i.detail === 'string' && /\//.test(i.detail));
    const labels = ours.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('products.detail') && labels.includes('products.create') && labels.includes('home'), JSON.stringify(labels));
    assert.strictEqual(ours.find((i) => i.label === 'products.detail')?.detail, 'GET /products/<int:product_id>');
  });

  it('applies the quick fix, and then goes to the view from the endpoint name', async () => {
    const doc = await vscode.workspace.openTextDocument(file('app.py'));
    const [diag] = ours(doc.uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range);
    const fix = actions.find((a) => a.title === 'Change to "products.detail"');
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(actions.some((a) => a.title === 'Learn why: unknown-endpoint' && a.command?.command === 'flaskTutor.openWalkthrough'));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.lineAt(10).text, /url_for\("products\.detail", product_id=1\)/);
    await until('diagnostics cleared', () => ours(doc.uri), (d) => d.length === 0);
    const at = new vscode.Position(10, doc.lineAt(10).text.indexOf('products.detail') + 3);
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, at);
    const target = defs[0] && ('targetUri' in defs[0] ? defs[0].targetUri : defs[0].uri);
    const range = defs[0] && ('targetRange' in defs[0] ? defs[0].targetRange : defs[0].range);
    assert.strictEqual(target?.fsPath, file('products.py').fsPath);
    assert.strictEqual(range?.start.line, 6, 'def detail(product_id):');
  });

  it('shows the routes in the Routes view, grouped by blueprint with prefixes', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('flaskTutor.showRoutes');
    const routes = await until('routes', () => api.routes().map((r) => `${r.endpoint} ${r.rule}`).sort(), (r) => r.length === 3);
    assert.deepStrictEqual(routes, ['home /', 'products.create /products/', 'products.detail /products/<int:product_id>']);
  });
});

describe('try the API: run the app, Swagger UI, exports', function () {
  this.timeout(90000);
  const file = (rel: string) => vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, 'shop', rel));

  after(() => vscode.window.terminals.forEach((t) => t.dispose()));

  it('exports the routes the language server read as a Postman collection', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file('app.py')));
    const content = await vscode.commands.executeCommand<string>('flaskTutor.exportApi', 'postman');
    const collection = JSON.parse(content) as { info: { name: string; schema: string }; item: { name: string }[] };
    assert.strictEqual(collection.info.name, 'shop');
    assert.deepStrictEqual(collection.item.map((i) => i.name), ['GET /', 'POST /products/', 'GET /products/<int:product_id>']);
    assert.strictEqual(vscode.window.activeTextEditor?.document.languageId, 'json', 'shown in a new JSON editor to save');
  });

  it('runs the app with flask run on a free port, and opens its Swagger UI', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file('products.py')));
    const base = await vscode.commands.executeCommand<string>('flaskTutor.runApp');
    assert.match(base ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${base}/products/7`);
    assert.deepStrictEqual(await response.json(), { id: 7 });
    assert.ok(vscode.window.terminals.some((t) => t.name === 'Flask app (shop)'));
    const ui = await vscode.commands.executeCommand<string>('flaskTutor.openSwaggerUi');
    assert.strictEqual(ui, `${base}/apidocs/`, 'the running app is reused and flasgger\'s page found');
  });
});

describe('try the API: the request console', function () {
  this.timeout(90000);
  const file = (rel: string) => vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, 'shop', rel));
  type Shown = { type: string; request?: string; shown?: { statusLine: string; body: string }; endpoint?: string; view?: { label: string }; text?: string };

  it('opens on a route (as its CodeLens does) and shows the answer of the learner\'s app, with the view that gave it', async () => {
    const api = await activate();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file('products.py')));
    assert.strictEqual(await vscode.commands.executeCommand('flaskTutor.tryRoute', 'GET', '/products/<int:product_id>'), true);
    const tabs = await until('the console tab', () => vscode.window.tabGroups.all.map((g) => g.tabs.map((t) => t.label)), (groups) => groups.some((g) => g.includes('Try: shop')));
    assert.ok(tabs.length === 2 && tabs[0].includes('products.py'), `the console opens beside the code: ${JSON.stringify(tabs)}`);
    await api.console.send({ method: 'GET', path: '/products/7', headers: '', bodyKind: 'none', body: '', bearer: '' });
    const shown = api.console.lastMessage as Shown;
    assert.strictEqual(shown.type, 'response', JSON.stringify(shown));
    assert.strictEqual(shown.shown?.statusLine, '200 OK');
    assert.strictEqual(shown.shown?.body, '{\n  "id": 7\n}');
    assert.strictEqual(shown.endpoint, 'products.detail');
    assert.strictEqual(shown.view?.label, 'products.py:7');
  });

  it('or sends to the server the learner runs (Run the App), when chosen', async () => {
    const api = await activate();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file('products.py')));
    const base = await vscode.commands.executeCommand<string>('flaskTutor.runApp');
    await api.console.send({ method: 'GET', path: '/products/8', headers: '', bodyKind: 'none', body: '', bearer: '' }, base);
    const shown = api.console.lastMessage as Shown & { answered?: string };
    assert.strictEqual(shown.shown?.statusLine, '200 OK', JSON.stringify(shown));
    assert.strictEqual(shown.shown?.body, '{\n  "id": 8\n}');
    assert.strictEqual(shown.answered, `Answered by the server at ${base}.`);
    vscode.window.terminals.forEach((t) => t.dispose());
  });

  it('names a mistake in the form, and a missing route, without a server', async () => {
    const api = await activate();
    await api.console.send({ method: 'POST', path: '/products/', headers: '', bodyKind: 'json', body: '{oops', bearer: '' });
    assert.match((api.console.lastMessage as Shown).text ?? '', /^The body is not valid JSON/);
    await api.console.send({ method: 'GET', path: '/nowhere', headers: '', bodyKind: 'none', body: '', bearer: '' });
    const shown = api.console.lastMessage as Shown;
    assert.strictEqual(shown.shown?.statusLine, '404 NOT FOUND');
    assert.strictEqual(shown.endpoint, null);
  });
});
