/**
 * Verify in the real VS Code: the Test Explorer tree, verdicts with diffs and locations in the
 * learner's files, app errors on every check, coverage, cancel and timeout, a missing package.
 * Real pytest, real Flask (Debian's /usr/bin/python3, set in the fixture's settings).
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FlaskTutorApi } from '../../../src/extension';
import type { AppliedVerdict } from '../../../src/verify/controller';
import { activate, workspaceFolder } from '../helpers';
import { repoRoot } from '../scenarios';

const FIRST_APP = path.join(repoRoot, 'exercises', 'f1', 'first-app');

let api: FlaskTutorApi;

/** Creates `<workspace>/<name>` from a folder, writes the marker, waits for its test item. */
async function exerciseFolder(name: string, from: string | Record<string, string>, exercise = 'f1-first-app'): Promise<vscode.Uri> {
  const dir = path.join(workspaceFolder().uri.fsPath, name);
  fs.rmSync(dir, { recursive: true, force: true });
  if (typeof from === 'string') fs.cpSync(from, dir, { recursive: true });
  else {
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(from)) fs.writeFileSync(path.join(dir, file), text);
  }
  fs.writeFileSync(path.join(dir, '.flasktutor.json'), JSON.stringify({ version: 1, exercise }));
  const uri = vscode.Uri.file(dir);
  await waitFor(() => api.verify.itemForFolder(uri), `the test item of ${name}`);
  return uri;
}

async function waitFor<T>(get: () => T | undefined, what: string, ms = 10000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Verifies a folder and returns what each check got, by check key. */
async function verify(folder: vscode.Uri, mode?: 'run' | 'coverage', token?: vscode.CancellationToken): Promise<Map<string, AppliedVerdict['verdict']>> {
  const seen = new Map<string, AppliedVerdict['verdict']>();
  const sub = api.verify.onDidApply(({ verdict }) => seen.set(verdict.key, verdict));
  try {
    assert.ok(await api.verify.verifyFolder(folder, token, mode));
  } finally {
    sub.dispose();
  }
  return seen;
}

describe('verify: Test Explorer controller with real pytest', function () {
  this.timeout(60000);

  before(async () => {
    api = await activate();
  });

  it('shows an item per exercise folder with a child per check, labelled from docstrings, found without Python', async () => {
    const folder = await exerciseFolder('tree', path.join(FIRST_APP, 'starter'));
    const item = api.verify.itemForFolder(folder)!;
    assert.strictEqual(item.label, 'Your first Flask app');
    assert.strictEqual(item.uri?.fsPath, path.join(folder.fsPath, 'app.py'));
    const children: vscode.TestItem[] = [];
    item.children.forEach((c) => children.push(c));
    children.sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.deepStrictEqual(
      children.map((c) => c.label),
      ['GET / answers with status 200', 'GET / answers with a greeting that contains the word Hello', 'GET /health answers with status 200', 'GET /health answers with the JSON {"status": "ok"}'],
    );
    assert.ok(children.every((c) => c.uri?.fsPath.endsWith('test_first_app.py') && c.range));
  });

  it('removes the item when the exercise folder goes away (file watcher, debounced)', async () => {
    const folder = await exerciseFolder('gone', path.join(FIRST_APP, 'starter'));
    fs.rmSync(folder.fsPath, { recursive: true });
    await waitFor(() => (api.verify.itemForFolder(folder) ? undefined : true), 'the item to disappear');
  });

  it('passes every check on the reference solution and reports the exercise passed', async () => {
    const folder = await exerciseFolder('solution', path.join(FIRST_APP, 'solution'));
    const outcome = new Promise<{ passed: boolean; complete: boolean }>((resolve) => {
      const sub = api.verify.onDidVerify((o) => {
        sub.dispose();
        resolve(o);
      });
    });
    const seen = await verify(folder);
    assert.deepStrictEqual([...seen.values()].map((v) => v.outcome), ['passed', 'passed', 'passed', 'passed']);
    assert.deepStrictEqual(await outcome, { ...(await outcome), passed: true, complete: true });
  });

  it('fails the starter with plain-language messages; a failed comparison carries expected and actual', async () => {
    const folder = await exerciseFolder('starter', path.join(FIRST_APP, 'starter'));
    const seen = await verify(folder);
    assert.strictEqual(seen.size, 4);
    for (const verdict of seen.values()) {
      assert.strictEqual(verdict.outcome, 'failed', JSON.stringify(verdict));
      assert.ok(verdict.messages[0].text.length > 10);
      assert.match(verdict.output, /GET\s+\/(health)?\s+→ 404/);
    }
    const status = seen.get('test_first_app.py::test_index_answers_200')!;
    assert.strictEqual(status.messages[0].expected !== undefined, true, JSON.stringify(status));
    assert.match(status.messages[0].actual ?? '', /404/);
  });

  it('errors every check with the one real cause, located in the learner file, when the app has a SyntaxError', async () => {
    const folder = await exerciseFolder('syntax', { 'app.py': 'from flask import Flask\n\ndef create_app(test_config=None):\n    app = Flask(__name__\n    return app\n' });
    const seen = await verify(folder);
    assert.strictEqual(seen.size, 4);
    for (const verdict of seen.values()) {
      assert.strictEqual(verdict.outcome, 'errored');
      assert.match(verdict.messages[0].text, /syntax/i);
      assert.strictEqual(verdict.messages[0].location?.file, path.join(folder.fsPath, 'app.py'));
    }
  });

  it('names a missing module the learner imports', async () => {
    const folder = await exerciseFolder('missing-module', { 'app.py': 'import flask_nonexistent_ext\nfrom flask import Flask\napp = Flask(__name__)\n' });
    const seen = await verify(folder);
    for (const verdict of seen.values()) {
      assert.strictEqual(verdict.outcome, 'errored');
      assert.match(verdict.messages[0].text, /flask_nonexistent_ext/);
    }
  });

  it('fails a check whose view loops forever, at the check timeout, and goes on with the others', async () => {
    const loop = fs.readFileSync(path.join(FIRST_APP, 'solution', 'app.py'), 'utf8').replace(/(def \w+\(\):\n)/, '$1        while True:\n            pass\n');
    assert.notStrictEqual(loop, fs.readFileSync(path.join(FIRST_APP, 'solution', 'app.py'), 'utf8'), 'the fixture edit must apply');
    const folder = await exerciseFolder('loop', { 'app.py': loop });
    const seen = await verify(folder);
    const outcomes = [...seen.values()].map((v) => v.outcome);
    assert.ok(outcomes.includes('failed'), outcomes.join());
    assert.ok(outcomes.includes('passed'), outcomes.join());
    const failed = [...seen.values()].find((v) => v.outcome === 'failed')!;
    assert.match(failed.messages[0].text, /infinite loop/i);
    assert.strictEqual(failed.messages[0].location?.file, path.join(folder.fsPath, 'app.py'));
  });

  it('adds line coverage of the learner files with "Verify with coverage"', async () => {
    const folder = await exerciseFolder('coverage', path.join(FIRST_APP, 'solution'));
    const covered = new Promise<vscode.FileCoverage[]>((resolve) => {
      const sub = api.verify.onDidCover((files) => {
        sub.dispose();
        resolve(files);
      });
    });
    await verify(folder, 'coverage');
    const files = await covered;
    const app = files.find((f) => f.uri.fsPath === path.join(folder.fsPath, 'app.py'));
    assert.ok(app, `coverage for app.py among ${files.map((f) => f.uri.fsPath).join(', ')}`);
    assert.ok(app.statementCoverage.covered > 0 && app.statementCoverage.total >= app.statementCoverage.covered);
  });

  it('cancels a running verify: the checks end skipped and no Python process of the run is left', async () => {
    const slow = "import time\nfrom flask import Flask\n\ndef create_app(test_config=None):\n    app = Flask(__name__)\n\n    @app.get('/')\n    def index():\n        time.sleep(60)\n        return 'Hello'\n\n    return app\n";
    const folder = await exerciseFolder('cancel', { 'app.py': slow });
    const source = new vscode.CancellationTokenSource();
    const started = Date.now();
    setTimeout(() => source.cancel(), 1500);
    const seen = await verify(folder, 'run', source.token);
    assert.ok(Date.now() - started < 1500 + 2500, `cancel took ${Date.now() - started - 1500} ms`);
    assert.ok([...seen.values()].every((v) => v.outcome === 'skipped'), JSON.stringify([...seen.values()].map((v) => v.outcome)));
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('flask_tutor_pytest') && l.includes(folder.fsPath));
    assert.deepStrictEqual(left, []);
  });

  it('says which package is missing when the Python has no pytest or Flask', async () => {
    const folder = await exerciseFolder('no-packages', path.join(FIRST_APP, 'solution'));
    // A bare virtual environment in the exercise folder wins over the setting.
    execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', path.join(folder.fsPath, '.venv')]);
    const seen = await verify(folder);
    for (const verdict of seen.values()) {
      assert.strictEqual(verdict.outcome, 'errored');
      assert.match(verdict.messages[0].text, /pytest and flask are not installed/);
    }
  });
});
