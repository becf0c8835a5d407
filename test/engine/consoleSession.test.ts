/**
 * The request console's session against real pytest, real Flask and our plugin: requests answered
 * through Verify's loader and sandbox, the temporary database and the cookies kept across
 * requests (and dropped by a reset), the view that answered, a crash's line, an app that does not
 * load, a view that never answers (the session restarts), the learner's folder untouched and no
 * process left behind. Python: FLASK_TUTOR_PYTHON or /usr/bin/python3.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConsoleError, ConsoleSession } from '../../src/engine/consoleSession';

const root = path.resolve(__dirname, '../../..');
const python = process.env.FLASK_TUTOR_PYTHON || '/usr/bin/python3';
const dirs: string[] = [];
/** A module-level app with a health route; tests append views to it. */
const SMALL_APP = 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/health")\ndef health():\n    return {"status": "ok"}\n';
const sessions: ConsoleSession[] = [];

function app(from: string, extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-app-'));
  fs.cpSync(path.join(root, from), dir, { recursive: true });
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
  dirs.push(dir);
  return dir;
}

function session(appDir: string, requestTimeoutMs = 15000): ConsoleSession {
  const s = new ConsoleSession({ python, pluginDir: path.join(root, 'python'), appDir, requestTimeoutMs });
  sessions.push(s);
  return s;
}

const listing = (dir: string) => execFileSync('find', [dir, '-printf', '%P %s\n'], { encoding: 'utf8' }).split('\n').sort().join('\n');
const json = (r: { body: string }) => JSON.parse(r.body) as unknown;

after(async () => {
  for (const s of sessions) {
    s.dispose();
    await s.ended();
  }
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

describe('request console session (src/engine/consoleSession.ts)', function () {
  this.timeout(60000);

  it('answers through the learner\'s app, keeping the temporary database across requests; a reset starts afresh; the folder is untouched', async () => {
    const dir = app('exercises/f3/todo-crud/solution');
    const before = listing(dir);
    const s = session(dir);
    const created = await s.send({ method: 'POST', path: '/todos', body: { kind: 'json', text: '{"title": "Buy milk"}' } });
    assert.strictEqual(created.status, 201);
    assert.strictEqual(created.isJson, true);
    assert.deepStrictEqual(json(created), { done: false, id: 1, title: 'Buy milk' });
    assert.strictEqual(created.endpoint, 'todos.create_todo');
    assert.strictEqual(path.basename(created.view!.file), 'todos.py');
    assert.ok(created.headers.some(([k, v]) => k === 'Location' && v === '/todos/1'));
    const listed = await s.send({ method: 'GET', path: '/todos' });
    assert.deepStrictEqual(json(listed), [{ done: false, id: 1, title: 'Buy milk' }]);
    s.reset();
    assert.deepStrictEqual(json(await s.send({ method: 'GET', path: '/todos' })), [], 'a new session has a new database');
    assert.strictEqual(listing(dir), before, 'no database or cache file appeared in the learner\'s folder');
  });

  it('answers exactly as Flask\'s own test client does for the same requests', async () => {
    const dir = app('exercises/f2/cart/solution');
    const requests: { method: string; path: string; json?: unknown }[] = [
      { method: 'GET', path: '/cart' },
      { method: 'POST', path: '/cart/items', json: { product_id: 7, quantity: 2 } },
      { method: 'POST', path: '/cart/items', json: { product_id: 0, quantity: 1 } },
      { method: 'DELETE', path: '/cart/items/7' },
      { method: 'GET', path: '/nowhere' },
    ];
    const s = session(dir);
    const ours: [number, string, string][] = [];
    for (const r of requests) {
      const answer = await s.send({ method: r.method, path: r.path, body: r.json === undefined ? undefined : { kind: 'json', text: JSON.stringify(r.json) } });
      ours.push([answer.status, answer.headers.find(([k]) => k === 'Content-Type')?.[1] ?? '', answer.body]);
    }
    const script = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(dir)})`,
      'from app import create_app',
      'client = create_app({"TESTING": True, "SECRET_KEY": "x"}).test_client()',
      'out = []',
      `for r in json.loads(${JSON.stringify(JSON.stringify(requests))}):`,
      '    resp = client.open(r["path"], method=r["method"], json=r.get("json"))',
      '    out.append([resp.status_code, resp.headers.get("Content-Type", ""), resp.get_data(as_text=True)])',
      'print(json.dumps(out))',
    ].join('\n');
    const flask = JSON.parse(execFileSync(python, ['-c', script], { encoding: 'utf8', cwd: os.tmpdir() })) as [number, string, string][];
    assert.deepStrictEqual(ours, flask);
  });

  it('keeps cookies: the session cart holds what an earlier request put in it', async () => {
    const s = session(app('exercises/f2/cart/solution'));
    await s.send({ method: 'POST', path: '/cart/items', body: { kind: 'json', text: '{"product_id": 7, "quantity": 2}' } });
    const cart = await s.send({ method: 'GET', path: '/cart' });
    assert.match(cart.body, /"product_id":\s*7/);
  });

  it('a view that raises: a 500 with the exception and the learner\'s line', async () => {
    const s = session(app('exercises/f1/first-app/solution', { 'boom.py': 'def explode():\n    return 1 / 0\n', 'app.py': SMALL_APP + '\n\n@app.get("/boom")\ndef boom():\n    from boom import explode\n    return {"x": explode()}\n' }));
    const r = await s.send({ method: 'GET', path: '/boom' });
    assert.strictEqual(r.status, 500);
    assert.strictEqual(r.endpoint, 'boom', 'the view that was answering');
    assert.match(r.error ?? '', /ZeroDivisionError: division by zero/);
    assert.strictEqual(path.basename(r.errorLocation!.file), 'boom.py');
    assert.strictEqual(r.errorLocation!.line, 2);
  });

  it('an app that does not load: the request is refused with the loader\'s message', async () => {
    const s = session(app('exercises/f1/first-app/solution', { 'app.py': 'from flask import Flask\napp = Flask(__name__\n' }));
    await assert.rejects(s.send({ method: 'GET', path: '/' }), (e: Error) => e instanceof ConsoleError && /syntax|SyntaxError|never closed|parenthesis/i.test(e.message));
  });

  it('a view that never answers: the request fails after its limit, the session restarts, nothing is left running', async () => {
    const dir = app('exercises/f1/first-app/solution', { 'app.py': SMALL_APP + '\n\n@app.get("/spin")\ndef spin():\n    while True:\n        pass\n' });
    const s = session(dir, 2000);
    await assert.rejects(s.send({ method: 'GET', path: '/spin' }), /did not answer GET \/spin within 2 s/);
    await new Promise((r) => setTimeout(r, 2500));
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(dir));
    assert.deepStrictEqual(left, [], 'the spinning session was ended');
    const r = await s.send({ method: 'GET', path: '/health' });
    assert.strictEqual(r.status, 200);
  });
});
