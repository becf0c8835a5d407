/**
 * Verify in the real VS Code: the Test Explorer tree, verdicts with diffs and locations in the
 * learner's files, app errors on every check, coverage, cancel and timeout, a missing package;
 * verifies of one exercise never overlap, "Debug checks" without a debugger starts nothing.
 * Real pytest, real Flask (Debian's /usr/bin/python3, set in the fixture's settings).
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FlaskTutorApi } from '../../../src/extension';
import type { AppliedVerdict, Mode, VerifyOutcome } from '../../../src/verify/controller';
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

/**
 * Processes of a verify of `folder`: the run's Python and whatever it started. They all inherit
 * FLASK_TUTOR_APP_DIR (the folder is not on pytest's command line). Linux: reads /proc.
 */
function runProcesses(folder: vscode.Uri): string[] {
  const needle = `\0FLASK_TUTOR_APP_DIR=${folder.fsPath}\0`;
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (`\0${fs.readFileSync(`/proc/${pid}/environ`, 'latin1')}`.includes(needle)) {
        found.push(`${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim()}`);
      }
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

/** Verifies a folder and returns what each check got, by check key. */
async function verify(folder: vscode.Uri, mode?: Mode, token?: vscode.CancellationToken): Promise<Map<string, AppliedVerdict['verdict']>> {
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
    // Double-click / Go to Test opens our check read-only, never the installed extension's file.
    assert.ok(children.every((c) => c.uri?.scheme === 'flask-tutor-check'), children.map((c) => c.uri?.toString()).join());
    const doc = await vscode.workspace.openTextDocument(children[0].uri!);
    assert.strictEqual(doc.getText(), fs.readFileSync(path.join(FIRST_APP, 'checks', 'test_first_app.py'), 'utf8'));
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
    // No route matched, so no view ran: each message is shown where the routes go, create_app().
    const appPy = path.join(folder.fsPath, 'app.py');
    const factoryLine = fs.readFileSync(appPy, 'utf8').split('\n').findIndex((l) => l.startsWith('def create_app(')) + 1;
    for (const verdict of seen.values()) {
      assert.strictEqual(verdict.outcome, 'failed', JSON.stringify(verdict));
      assert.ok(verdict.messages[0].text.length > 10);
      assert.match(verdict.output, /GET\s+\/(health)?\s+→ 404/);
      assert.deepStrictEqual(verdict.messages[0].location, { file: appPy, line: factoryLine, column: null }, JSON.stringify(verdict.messages[0]));
    }
    const status = seen.get('test_first_app.py::test_index_answers_200')!;
    assert.strictEqual(status.messages[0].expected !== undefined, true, JSON.stringify(status));
    assert.match(status.messages[0].actual ?? '', /404/);
  });

  it('says once that an app with a SyntaxError does not load: the first check and Problems at the learner line; the others say they did not run', async () => {
    const broken = 'from flask import Flask\n\ndef create_app(test_config=None):\n    app = Flask(__name__\n    return app\n';
    const folder = await exerciseFolder('syntax', { 'app.py': broken });
    const seen = [...(await verify(folder)).values()];
    assert.strictEqual(seen.length, 4);
    assert.ok(seen.every((v) => v.outcome === 'errored'), JSON.stringify(seen.map((v) => v.outcome)));
    const full = seen.filter((v) => /syntax/i.test(v.messages[0].text));
    assert.strictEqual(full.length, 1, `the cause is said once: ${JSON.stringify(seen.map((v) => v.messages[0].text))}`);
    assert.strictEqual(full[0].messages[0].location?.file, path.join(folder.fsPath, 'app.py'));
    for (const other of seen.filter((v) => v !== full[0])) {
      assert.match(other.messages[0].text, /Not run: your app does not load/);
      assert.strictEqual(other.messages[0].location?.file, path.join(folder.fsPath, 'app.py'));
    }
    const problems = api.verify.problemsOf(folder);
    assert.strictEqual(problems.length, 1, 'one entry in the Problems view');
    assert.match(problems[0].message, /Your app does not load: .*syntax/i);
    assert.ok(problems[0].range.start.line >= 3 && problems[0].range.start.line <= 4, `at the broken line, not line ${problems[0].range.start.line + 1}`);
    // Fixed: the Problems entry goes away with the next verify.
    fs.copyFileSync(path.join(FIRST_APP, 'solution', 'app.py'), path.join(folder.fsPath, 'app.py'));
    await verify(folder);
    assert.deepStrictEqual(api.verify.problemsOf(folder), []);
  });

  it('names a missing module the learner imports', async () => {
    const folder = await exerciseFolder('missing-module', { 'app.py': 'import flask_nonexistent_ext\nfrom flask import Flask\napp = Flask(__name__)\n' });
    const seen = [...(await verify(folder)).values()];
    assert.ok(seen.every((v) => v.outcome === 'errored'));
    assert.strictEqual(seen.filter((v) => /flask_nonexistent_ext/.test(v.messages[0].text)).length, 1);
    assert.match(api.verify.problemsOf(folder)[0]?.message ?? '', /flask_nonexistent_ext/);
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
    assert.deepStrictEqual(runProcesses(folder), []);
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

  it('never overlaps two verifies of one exercise started at once: the second starts after the first has ended', async () => {
    // The app reports when its Python starts by connecting to a loopback server here (once per
    // process: checks re-import it) and keeps the connection open until the process ends, and it
    // loads slowly, so overlapping runs could not hide. (A verify may write nowhere outside its
    // own folder and runs no atexit handler, so a log file cannot tell.)
    const events: { what: string; pid: string; ms: number }[] = [];
    const server = net.createServer((socket) => {
      let pid = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => {
        if (!pid && d.includes('\n')) {
          pid = d.split('\n')[0];
          events.push({ what: 'start', pid, ms: Date.now() });
        }
      });
      socket.on('close', () => events.push({ what: 'end', pid, ms: Date.now() }));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const header = [
      'import builtins, os, socket, time',
      '',
      'if not hasattr(builtins, "_flask_tutor_overlap_logged"):',
      `    builtins._flask_tutor_overlap_logged = socket.create_connection(("127.0.0.1", ${port}))`,
      '    builtins._flask_tutor_overlap_logged.sendall(b"%d\\n" % os.getpid())',
      '    time.sleep(1)',
      '',
      '',
    ].join('\n');
    const folder = await exerciseFolder('overlap', { 'app.py': header + fs.readFileSync(path.join(FIRST_APP, 'solution', 'app.py'), 'utf8') });
    const verified: { at: number; outcome: VerifyOutcome }[] = [];
    const sub = api.verify.onDidVerify((outcome) => outcome.folder.fsPath === folder.fsPath && verified.push({ at: Date.now(), outcome }));
    try {
      assert.deepStrictEqual(await Promise.all([api.verify.verifyFolder(folder), api.verify.verifyFolder(folder)]), [true, true]);
      await waitFor(() => (events.length >= 4 ? true : undefined), 'both runs to end', 5000);
    } finally {
      sub.dispose();
      server.close();
    }
    const lines = events.map((e) => `${e.what} ${e.pid} ${e.ms}`);
    assert.deepStrictEqual(
      events.map((e) => e.what),
      ['start', 'end', 'start', 'end'],
      `the two runs' Pythons overlapped:\n${lines.join('\n')}`,
    );
    const [start1, end1, start2, end2] = events;
    assert.ok(start1.pid === end1.pid && start2.pid === end2.pid && start1.pid !== start2.pid, lines.join('\n'));
    assert.ok(start2.ms >= end1.ms, lines.join('\n'));
    // Not only the processes: the first verify had reported its result before the second's Python started.
    assert.strictEqual(verified.length, 2);
    assert.ok(verified[0].at <= start2.ms, `first verify reported at ${verified[0].at}, second Python started at ${start2.ms}`);
    assert.ok(verified.every((v) => v.outcome.passed && v.outcome.complete), JSON.stringify(verified.map((v) => [...v.outcome.outcomes])));
  });

  it('"Debug checks" without the Python Debugger extension errors every check, naming ms-python.debugpy, and starts no Python', async () => {
    assert.strictEqual(vscode.extensions.getExtension('ms-python.debugpy'), undefined, 'this VS Code must not have the Python Debugger');
    assert.strictEqual(vscode.extensions.getExtension('ms-python.python'), undefined, 'this VS Code must not have the Python extension');
    const folder = await exerciseFolder('debug', path.join(FIRST_APP, 'solution'));
    // The folder's own .venv wins over the setting: a Python that notes every start, then runs.
    const started = path.join(os.tmpdir(), `flask-tutor-debug-python-${process.pid}-${Date.now()}.log`);
    const bin = path.join(folder.fsPath, '.venv', 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'python'), `#!/bin/sh\necho "$@" >> '${started}'\nexec /usr/bin/python3 "$@"\n`, { mode: 0o755 });
    try {
      const seen = await verify(folder, 'debug');
      assert.strictEqual(seen.size, 4);
      for (const verdict of seen.values()) {
        assert.strictEqual(verdict.outcome, 'errored', JSON.stringify(verdict));
        assert.match(verdict.messages[0].text, /ms-python\.debugpy/);
      }
      assert.ok(!fs.existsSync(started), `Python was started:\n${fs.existsSync(started) ? fs.readFileSync(started, 'utf8') : ''}`);
      // The same folder verified normally does start that Python: the check above can see a start.
      const run = await verify(folder);
      assert.deepStrictEqual([...run.values()].map((v) => v.outcome), ['passed', 'passed', 'passed', 'passed']);
      assert.ok(fs.existsSync(started), 'a normal verify should have started the .venv Python');
    } finally {
      fs.rmSync(started, { force: true });
      fs.rmSync(folder.fsPath, { recursive: true, force: true });
    }
  });

  it('stops a run at flaskTutor.verify.runTimeout: every check errored "took longer than N s", no process left', async () => {
    const config = vscode.workspace.getConfiguration('flaskTutor.verify');
    const saved = config.inspect<number>('runTimeout')?.workspaceValue;
    const marker = `flask-tutor-timeout-child-${process.pid}-${Date.now()}`;
    const hang =
      'import subprocess, sys, time\n\nfrom flask import Flask\n\n' +
      `CHILD = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "${marker}"])\n` +
      'time.sleep(10 ** 6)  # blocks in C (the run timeout, 2 s, comes before the load timeout, 3 s)\n\n\n' +
      'def create_app(test_config=None):\n    return Flask(__name__)\n';
    const folder = await exerciseFolder('run-timeout', { 'app.py': hang });
    // A non-root folder's own .vscode/settings.json is not read: set it for the workspace.
    await config.update('runTimeout', 2, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(() => vscode.workspace.getConfiguration('flaskTutor.verify', folder).get<number>('runTimeout') === 2 || undefined, 'runTimeout = 2');
      let sawRun = false;
      const watch = setInterval(() => (sawRun ||= runProcesses(folder).some((p) => p.includes(marker))), 200);
      const started = Date.now();
      let seen: Map<string, AppliedVerdict['verdict']>;
      try {
        seen = await verify(folder);
      } finally {
        clearInterval(watch);
      }
      const took = Date.now() - started;
      assert.ok(sawRun, "the app's child process should have been seen while the run hung");
      assert.strictEqual(seen.size, 4);
      for (const verdict of seen.values()) {
        assert.strictEqual(verdict.outcome, 'errored', JSON.stringify(verdict));
        assert.match(verdict.messages[0].text, /took longer than 2 s and was stopped\. Python was running app\.py, line 6 \(in <module>\)/);
        assert.strictEqual(verdict.messages[0].location?.line, 6, 'the line that blocks (faulthandler stack)');
      }
      assert.ok(took < 2000 + 5000, `the run took ${took} ms`);
      assert.deepStrictEqual(runProcesses(folder), []);
    } finally {
      await config.update('runTimeout', saved, vscode.ConfigurationTarget.Workspace);
    }
  });
});
