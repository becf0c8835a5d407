/**
 * Exports of an app's routes (src/core/apiExport.ts), from the routes the language server reads
 * in a real reference solution (f5-crud-api): the Postman collection is valid against the
 * vendored v2.1.0 schema, every cURL command parses and reaches the running app, the Locust file
 * runs headless against it with no failure, the .http file and the OpenAPI skeleton hold every
 * route. The app runs with the current Python environment on 127.0.0.1.
 */
import * as assert from 'assert';
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ApiRoute, exportApi, requests, samplePath } from '../../src/core/apiExport';
import { indexPython } from '../../src/flask/pyIndex';
import { loadTestParser } from './pythonParser';
import { FlaskWorkspace } from '../../src/flask/workspace';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SOLUTION = path.join(ROOT, 'exercises', 'f5', 'crud-api', 'solution');
const CURRENT_PYTHON = path.join(path.resolve(process.env.FLASK_TUTOR_PYTHON_CACHE || path.join(ROOT, '.cache', 'python')), 'current', 'bin', 'python');

/** Shell words of one command line (single quotes, as toCurl writes them). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quoted = false;
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === "'") quoted = false;
      else word += c;
    } else if (c === "'") {
      quoted = true;
      inWord = true;
    } else if (c === '\\' && line[i + 1] === "'") {
      word += "'";
      i++;
    } else if (c === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  assert.ok(!quoted, `unclosed quote in ${line}`);
  if (inWord) words.push(word);
  return words;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('API exports from the routes the language server reads (f5-crud-api solution)', function () {
  this.timeout(60000);
  let routes: ApiRoute[];
  let server: ChildProcess | undefined;
  let base = '';
  let dir = '';

  before(async () => {
    const parser = await loadTestParser();
    const ws = new FlaskWorkspace();
    for (const f of fs.readdirSync(SOLUTION).filter((x) => x.endsWith('.py'))) ws.setPython(f, indexPython(parser.parse(fs.readFileSync(path.join(SOLUTION, f), 'utf8'))));
    routes = ws.endpoints().flatMap((e) => e.rules.map((rule, i) => ({ endpoint: e.name, rule, methods: e.routes[i].methods })));
    // The app, running as a learner would run it.
    assert.ok(fs.existsSync(CURRENT_PYTHON), `${CURRENT_PYTHON} is missing (build it with: node scripts/python-env.mjs ensure)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'));
    fs.cpSync(SOLUTION, dir, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(CURRENT_PYTHON, ['-m', 'flask', '--app', 'app', 'run', '--port', String(port)], { cwd: dir, stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        await fetch(`${base}/`);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('the app did not start');
  });

  after(() => {
    server?.kill();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads every route of the app', () => {
    assert.deepStrictEqual(
      requests(routes).map((r) => `${r.method} ${r.route.rule}`),
      ['GET /api/books/', 'POST /api/books/', 'GET /api/books/<int:book_id>', 'PATCH /api/books/<int:book_id>', 'DELETE /api/books/<int:book_id>'],
    );
    assert.strictEqual(samplePath('/files/<path:name>/<uuid:u>/<x>'), '/files/example/00000000-0000-0000-0000-000000000001/example');
  });

  it('Postman: a v2.1 collection valid against the vendored schema, a request per method and route', async () => {
    const collection = JSON.parse(exportApi('postman', routes, 'Books API', base)) as { item: { name: string; request: { url: { raw: string; variable?: { key: string; value: string }[] } } }[] };
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `import { postmanSchemaProblems } from ${JSON.stringify(path.join(ROOT, 'scripts', 'postman-schema.mjs'))}; console.log(JSON.stringify(await postmanSchemaProblems(JSON.parse(process.argv[1]))));`, JSON.stringify(collection)],
      { encoding: 'utf8' },
    );
    assert.deepStrictEqual(JSON.parse(out), []);
    assert.strictEqual(collection.item.length, 5);
    const one = collection.item.find((i) => i.name === 'GET /api/books/<int:book_id>')!;
    assert.strictEqual(one.request.url.raw, '{{baseUrl}}/api/books/:book_id');
    assert.deepStrictEqual(one.request.url.variable?.map((v) => [v.key, v.value]), [['book_id', '1']]);
  });

  it('cURL: every command parses, and each reaches the running app without a server error', () => {
    const commands = exportApi('curl', routes, 'Books API', base)
      .split('\n')
      .filter((l) => l.startsWith('curl '));
    assert.strictEqual(commands.length, 5);
    for (const line of commands) {
      const words = shellWords(line);
      assert.strictEqual(words[0], 'curl');
      const method = words[words.indexOf('-X') + 1];
      assert.ok(['GET', 'POST', 'PATCH', 'DELETE'].includes(method), line);
      const url = new URL(words.find((w) => w.startsWith('http'))!);
      assert.strictEqual(url.origin, base);
      const out = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...words.slice(1).filter((w) => w !== '-i')], { encoding: 'utf8' });
      assert.ok(Number(out) > 0 && Number(out) < 500, `${line} → ${out}`);
    }
  });

  it('.http and OpenAPI: every route, with sample values and path parameters', () => {
    const http = exportApi('http', routes, 'Books API', base);
    assert.match(http, new RegExp(`^@baseUrl = ${base}$`, 'm'));
    assert.match(http, /^### PATCH \/api\/books\/<int:book_id> \(books\.update_book\)\nPATCH \{\{baseUrl\}\}\/api\/books\/1\nContent-Type: application\/json\n\n\{\}$/m);
    const api = JSON.parse(exportApi('openapi', routes, 'Books API')) as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string; schema: { type: string } }[] }>> };
    assert.strictEqual(api.openapi, '3.0.3');
    assert.deepStrictEqual(Object.keys(api.paths), ['/api/books/', '/api/books/{book_id}']);
    assert.deepStrictEqual(Object.keys(api.paths['/api/books/{book_id}']), ['get', 'patch', 'delete']);
    assert.deepStrictEqual(api.paths['/api/books/{book_id}'].get.parameters, [{ name: 'book_id', in: 'path', required: true, schema: { type: 'integer' } }]);
  });

  it('Locust: runs headless against the running app for a few seconds with no failure', () => {
    const file = path.join(dir, 'locustfile.py');
    fs.writeFileSync(file, exportApi('locust', routes, 'Books API'));
    const out = execFileSync(CURRENT_PYTHON, ['-m', 'locust', '-f', file, '--headless', '-u', '3', '-r', '3', '-t', '3s', '--host', base, '--only-summary', '--csv', path.join(dir, 'stats')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
    const stats = fs.readFileSync(path.join(dir, 'stats_stats.csv'), 'utf8').trim().split('\n');
    const total = stats.find((l) => l.includes('Aggregated'))!.split(',');
    const header = stats[0].split(',');
    const requestsCount = Number(total[header.indexOf('Request Count')]);
    const failures = Number(total[header.indexOf('Failure Count')]);
    assert.ok(requestsCount > 0, `no request was made: ${out}`);
    assert.strictEqual(failures, 0, stats.join('\n'));
  });
});
