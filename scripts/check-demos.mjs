#!/usr/bin/env node
// The `demos` tier: every demos/<chapter>/ is started with the current Python on 127.0.0.1, every
// request of its Postman collection is sent ({{variables}} substituted) and must answer 2xx, the
// collection's shape is checked (v2.1: info.schema, items with request.method/url) and it is validated
// against the Postman Collection v2.1.0 JSON schema (scripts/schemas/, via postman-schema.mjs; a
// violation fails with the JSON pointer of each bad value), and its Locust file runs headless for a
// few seconds with zero failures. Before the demos, a self-check proves the schema validation
// rejects a broken collection. A request's test script may pass a value to the next requests with
// pm.collectionVariables.set(name, value) (a token from a login, the id of a new resource): the scripts
// run in a sandbox where that, pm.collectionVariables.get, pm.response.json()/text()/code/headers.get
// work and pm.test/pm.expect do nothing (Postman runs the assertions; this tier requires 2xx). Bodies:
// raw, urlencoded, formdata (text fields and files: multipart/form-data) and file; a file's src is relative
// to the demo folder (demos/c09 uploads its samples/ that way).
//   node scripts/check-demos.mjs [--python <python>] [--only c01,c02]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, isAbsolute, join } from 'node:path';
import vm from 'node:vm';
import { postmanSchemaProblems } from './postman-schema.mjs';
import { pythonOf } from './python-env.mjs';

const arg = (flag) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const python = arg('--python') ?? pythonOf('current');
const only = arg('--only')?.split(',');
const root = join(import.meta.dirname, '..', 'demos');
const V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const flatten = (items) => items.flatMap((i) => (i.item ? flatten(i.item) : [i]));
const substitute = (text, vars) => text.replace(/\{\{(\w+)\}\}/g, (m, k) => vars[k] ?? m);

// An object that accepts any property access or call: pm.expect(...).to.have.property(...) and the like.
const inert = new Proxy(function () {}, { get: () => inert, apply: () => inert });

// Runs an item's test scripts after its response, for the collection variables they set.
function runTestScripts(item, res, text, vars) {
  for (const event of item.event ?? []) {
    if (event.listen !== 'test') continue;
    const exec = event.script?.exec ?? [];
    const pm = {
      test: () => {},
      expect: () => inert,
      response: {
        code: res.status,
        json: () => JSON.parse(text),
        text: () => text,
        headers: { get: (name) => res.headers.get(name) },
        to: inert,
      },
      collectionVariables: { set: (k, v) => void (vars[k] = String(v)), get: (k) => vars[k] },
    };
    vm.runInNewContext(Array.isArray(exec) ? exec.join('\n') : exec, { pm }, { timeout: 1000 });
  }
}

// The body of a request: raw text; formdata (text fields and files, a multipart/form-data body whose
// boundary fetch sets, so a collection gives no Content-Type header for it); or a file sent as it is.
// A file's src is relative to the demo folder (Postman's working directory, set to it, resolves the same).
function requestBody(body, dir, vars) {
  if (!body || body.disabled) return undefined;
  const file = (src) => {
    const path = isAbsolute(src) ? src : join(dir, src);
    if (!existsSync(path)) throw new Error(`the request's file ${src} does not exist (resolved as ${path})`);
    return readFileSync(path);
  };
  if (body.mode === 'formdata') {
    const form = new FormData();
    for (const part of body.formdata ?? []) {
      if (part.disabled) continue;
      if (part.type === 'file') {
        for (const src of [part.src ?? []].flat()) {
          form.append(part.key, new Blob([file(src)], { type: part.contentType || 'application/octet-stream' }), basename(src));
        }
      } else form.append(part.key, substitute(part.value ?? '', vars));
    }
    return form;
  }
  if (body.mode === 'file') return body.file?.src ? file(body.file.src) : undefined;
  if (body.mode === 'urlencoded') {
    return new URLSearchParams((body.urlencoded ?? []).filter((p) => !p.disabled).map((p) => [p.key, substitute(p.value ?? '', vars)]));
  }
  return body.raw !== undefined ? substitute(body.raw, vars) : undefined;
}

async function waitUp(url, server) {
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) throw new Error(`demo exited with ${server.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`demo did not start at ${url}`);
}

let passed = 0;
let failed = 0;
const check = (ok, what) => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};

// Self-check: the schema accepts a minimal v2.1 collection and rejects the same one broken.
{
  const minimal = () => ({
    info: { name: 'self-check', schema: V21 },
    item: [{ name: 'one', request: { method: 'GET', url: { raw: '{{baseUrl}}/x', host: ['{{baseUrl}}'], path: ['x'] } } }],
    variable: [{ key: 'baseUrl', value: 'http://127.0.0.1:5001' }],
  });
  const broken = minimal();
  broken.item[0].request.method = 5;
  const [good, bad] = [await postmanSchemaProblems(minimal()), await postmanSchemaProblems(broken)];
  check(
    good.length === 0 && bad.some((p) => p.startsWith('/item/0/request/method: ')),
    `self-check: the Postman v2.1.0 schema accepts a minimal collection and rejects a numeric method${good.length ? `\n  ${good.join('\n  ')}` : ''}${bad.length ? '' : '\n  (the broken one passed)'}`,
  );
}

for (const chapter of readdirSync(root).sort()) {
  const dir = join(root, chapter);
  if (!existsSync(join(dir, 'app.py')) || (only && !only.includes(chapter))) continue;
  const collection = JSON.parse(readFileSync(join(dir, 'postman_collection.json'), 'utf8'));
  const requests = flatten(collection.item ?? []);
  check(
    collection.info?.schema === V21 &&
      typeof collection.info?.name === 'string' &&
      requests.length > 0 &&
      requests.every((r) => r.name && r.request?.method && (r.request.url?.raw ?? r.request.url)),
    `${chapter}: collection is v2.1 with ${requests.length} named requests`,
  );
  const problems = await postmanSchemaProblems(collection);
  check(
    problems.length === 0,
    `${chapter}: postman_collection.json is valid against the Postman Collection v2.1.0 schema${problems.map((p) => `\n  ${p}`).join('')}`,
  );
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(python, ['-m', 'flask', '--app', 'app', 'run', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: dir,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (d) => (stderr += d));
  try {
    await waitUp(base, server);
    const vars = Object.fromEntries((collection.variable ?? []).map((v) => [v.key, v.value]));
    vars.baseUrl = base;
    for (const item of requests) {
      const r = item.request;
      const url = substitute(typeof r.url === 'string' ? r.url : r.url.raw, vars);
      const headers = Object.fromEntries((r.header ?? []).map((h) => [h.key, substitute(h.value, vars)]));
      const body = requestBody(r.body, dir, vars);
      const res = await fetch(url, { method: r.method, headers, body });
      const text = await res.text();
      let scriptError = '';
      if (res.ok) {
        try {
          runTestScripts(item, res, text, vars);
        } catch (e) {
          scriptError = `\n  its test script failed: ${e.message}`;
        }
      }
      check(res.ok && !scriptError, `${chapter}: ${item.name} (${r.method} ${url}) -> ${res.status}${scriptError}`);
    }
    const locust = spawnSync(
      python,
      ['-m', 'locust', '-f', 'locustfile.py', '--headless', '-u', '3', '-r', '3', '-t', '4s', '--host', base, '--only-summary', '--exit-code-on-error', '1'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
    );
    const out = `${locust.stdout}${locust.stderr}`;
    const agg = out.match(/Aggregated\s+(\d+)\s+(\d+)/);
    check(
      locust.status === 0 && agg && Number(agg[1]) > 0 && agg[2] === '0',
      `${chapter}: locust headless ${agg ? `${agg[1]} requests, ${agg[2]} failures` : 'no summary'}`,
    );
    if (locust.status !== 0) console.log(out.slice(-2000));
  } catch (e) {
    check(false, `${chapter}: ${e.message}\n${stderr.slice(-2000)}`);
  } finally {
    server.kill();
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
