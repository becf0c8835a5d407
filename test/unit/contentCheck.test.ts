import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkManifests, goldenPath, goldenTable, judgeGolden, TreeRun, withWalkthroughs, walkthroughsUpToDate } from '../../src/course/contentCheck';
import type { CheckVerdict } from '../../src/core/results';
import { loadCatalog } from '../../src/engine/catalog';

const repo = path.resolve(__dirname, '..', '..', '..');
const fixture = path.join(repo, 'test', 'fixtures', 'course');
const schema = JSON.parse(fs.readFileSync(path.join(repo, 'exercises', 'exercise.schema.json'), 'utf8'));

const verdict = (key: string, outcome: CheckVerdict['outcome'], text = 'why'): CheckVerdict => ({ key, outcome, durationMs: 1, messages: outcome === 'passed' ? [] : [{ text }], output: '' });
const runOf = (...verdicts: CheckVerdict[]): TreeRun => ({ verdicts, endReason: 'completed', ms: 5 });

describe('contentCheck.judgeGolden', () => {
  const cases: [string, TreeRun, TreeRun, RegExp[]][] = [
    ['starter fails, solution passes', runOf(verdict('a', 'failed'), verdict('b', 'passed')), runOf(verdict('a', 'passed'), verdict('b', 'passed')), []],
    ['a check errors on the starter', runOf(verdict('a', 'failed'), verdict('b', 'errored', 'NameError')), runOf(verdict('a', 'passed'), verdict('b', 'passed')), [/starter: b errored .*NameError/]],
    ['the starter already passes', runOf(verdict('a', 'passed')), runOf(verdict('a', 'passed')), [/starter: no check fails/]],
    ['the solution fails a check', runOf(verdict('a', 'failed')), runOf(verdict('a', 'failed', 'expected 200')), [/solution: a failed: expected 200/]],
    ['the starter does not load', { ...runOf(verdict('a', 'errored')), appError: 'syntax-error: bad' }, runOf(verdict('a', 'passed')), [/starter: the app does not load \(syntax-error: bad\)/, /starter: a errored/]],
    ['no checks', runOf(), runOf(), [/no checks/]],
    ['a run that timed out', { ...runOf(verdict('a', 'failed')), endReason: 'timeout' }, runOf(verdict('a', 'passed')), [/starter: the run ended early \(timeout\)/]],
  ];
  for (const [name, starter, solution, expected] of cases) {
    it(name, () => {
      const problems = judgeGolden(starter, solution);
      assert.strictEqual(problems.length >= expected.length, true);
      if (!expected.length) assert.deepStrictEqual(problems, []);
      for (const re of expected) assert.ok(problems.some((p) => re.test(p)), `${re} not in: ${problems.join(' | ')}`);
    });
  }

  it('prints a table', () => {
    const table = goldenTable([{ id: 'f1-x', starter: runOf(verdict('a', 'failed'), verdict('b', 'passed')), solution: runOf(verdict('a', 'passed'), verdict('b', 'passed')), ms: 42, problems: [] }]);
    assert.match(table, /exercise\s+starter failed\/total\s+solution passed\/total\s+mutants caught\s+variants pass\s+ms\s+result/);
    assert.match(table, /f1-x\s+1\/2\s+2\/2\s+-\s+-\s+42\s+ok/);
  });
});

describe('contentCheck.checkManifests', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-content-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('accepts the fixture exercises', () => {
    const { problems, catalog } = checkManifests(repo, path.join(fixture, 'exercises'), schema);
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(catalog.exercises.map((e) => e.id), ['f1-hello', 'f1-status']);
  });

  it('reports what the schema and the folder rules catch', () => {
    const exercises = path.join(tmp, 'exercises');
    fs.cpSync(path.join(fixture, 'exercises'), exercises, { recursive: true });
    const edit = (rel: string, change: (m: Record<string, unknown>) => void) => {
      const file = path.join(exercises, rel);
      const m = JSON.parse(fs.readFileSync(file, 'utf8'));
      change(m);
      fs.writeFileSync(file, JSON.stringify(m));
    };
    edit('f1/hello/exercise.json', (m) => {
      m.id = 'f1-other';
      m.open = ['app.py', 'missing.py'];
    });
    edit('f1/status/exercise.json', (m) => {
      m.order = 1;
      m.colour = 'red';
    });
    fs.mkdirSync(path.join(exercises, 'x9', 'thing'), { recursive: true });
    fs.writeFileSync(path.join(exercises, 'f1', 'hello', 'starter', '.flasktutor.json'), '{}');
    fs.rmSync(path.join(exercises, 'f1', 'hello', 'checks', 'test_hello.py'));
    const { problems } = checkManifests(tmp, exercises, schema);
    const text = problems.map((p) => `${p.where}: ${p.message}`).join('\n');
    for (const re of [
      /exercises\/x9: "x9" is not a chapter id/,
      /exercises\/x9\/thing: no exercise.json/,
      /f1\/hello\/exercise.json: "id" must be "f1-hello"/,
      /f1\/hello: "open" names missing.py, which is not in starter\//,
      /f1\/hello: starter\/ must not contain .flasktutor.json/,
      /f1\/hello: checks\/ has no test_\*.py file/,
      /f1\/status\/exercise.json: .*must NOT have additional properties \("colour"\)/,
    ]) {
      assert.match(text, re);
    }
  });

  it('reports duplicate ids and orders', () => {
    const exercises = path.join(tmp, 'exercises');
    fs.cpSync(path.join(fixture, 'exercises', 'f1', 'hello'), path.join(exercises, 'f1', 'hello'), { recursive: true });
    fs.cpSync(path.join(fixture, 'exercises', 'f1', 'hello'), path.join(exercises, 'f1', 'hello2'), { recursive: true });
    const { problems } = checkManifests(tmp, exercises, schema);
    const text = problems.map((p) => `${p.where}: ${p.message}`).join('\n');
    assert.match(text, /hello2\/exercise.json: "id" must be "f1-hello2"/);
    assert.match(text, /id "f1-hello" is also used by/);
    assert.match(text, /"order" 1 is also used by/);
  });
});

describe('contentCheck package.json walkthroughs', () => {
  it('replaces only contributes.walkthroughs and detects staleness', () => {
    const text = `${JSON.stringify({ name: 'x', contributes: { commands: [{ command: 'a' }], walkthroughs: [] }, scripts: {} }, null, 2)}\n`;
    const next = withWalkthroughs(text, [{ id: 'flaskTutor.start', title: 't', description: 'd', steps: [] }]);
    const pkg = JSON.parse(next);
    assert.deepStrictEqual(Object.keys(pkg), ['name', 'contributes', 'scripts']);
    assert.deepStrictEqual(pkg.contributes.commands, [{ command: 'a' }]);
    assert.strictEqual(walkthroughsUpToDate(pkg, pkg.contributes.walkthroughs), true);
    assert.strictEqual(walkthroughsUpToDate(JSON.parse(text), pkg.contributes.walkthroughs), false);
  });
});

function pythonWithFlask(): string | undefined {
  const python = process.env.FLASK_TUTOR_PYTHON || '/usr/bin/python3';
  try {
    execFileSync(python, ['-c', 'import flask, pytest'], { stdio: 'ignore', timeout: 15000 });
    return python;
  } catch {
    return undefined;
  }
}

describe('contentCheck.goldenPath (real pytest, stand-in plugin)', function () {
  this.timeout(60000);
  const python = pythonWithFlask();

  it('runs the fixture exercises two at a time: starters fail, solutions pass', async function () {
    if (!python) this.skip();
    const catalog = loadCatalog(path.join(fixture, 'exercises'));
    const seen: string[] = [];
    const results = await goldenPath(catalog.exercises, { python: python!, pluginDir: path.join(fixture, 'plugin'), jobs: 2, onResult: (r) => seen.push(r.id) });
    assert.deepStrictEqual(results.map((r) => [r.id, r.problems]), [
      ['f1-hello', []],
      ['f1-status', []],
    ]);
    assert.deepStrictEqual(seen.sort(), ['f1-hello', 'f1-status']);
    const status = results[1];
    assert.deepStrictEqual(status.starter?.verdicts.map((v) => [v.key, v.outcome]), [
      ['test_status.py::test_home_still_works', 'passed'],
      ['test_status.py::test_status_is_json', 'failed'],
    ]);
  });

  it('reports a solution that does not pass', async function () {
    if (!python) this.skip();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-golden-test-'));
    try {
      fs.cpSync(path.join(fixture, 'exercises', 'f1', 'hello'), path.join(tmp, 'f1', 'hello'), { recursive: true });
      fs.copyFileSync(path.join(tmp, 'f1', 'hello', 'starter', 'app.py'), path.join(tmp, 'f1', 'hello', 'solution', 'app.py'));
      const catalog = loadCatalog(tmp);
      const [result] = await goldenPath(catalog.exercises, { python: python!, pluginDir: path.join(fixture, 'plugin') });
      assert.ok(result.problems.some((p) => /^solution: test_hello.py::test_home_says_hello failed/.test(p)), result.problems.join('\n'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
