/**
 * Verify integrity (docs/verify-protocol.md, "Threat model"): hostile learner code, run through
 * the real engine with real pytest and our real plugin, can neither forge a verdict, nor alter
 * the checks, nor write outside the run's folder, nor leave a process behind, nor hold the run
 * open. Each test asserts the verdicts, a byte-identical learner folder (sha256, mode, mtime) and
 * that nothing of the run is left. Landlock tests skip, saying why, where the kernel lacks it.
 * (Over 500 lines on purpose: one suite per paragraph of the threat model over one shared harness.)
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { VerifyEvent } from '../../src/core/protocol';
import { RunResults, type CheckVerdict } from '../../src/core/results';
import { integrityManifest, runPytest, type PytestRunEnd, type PytestRunOptions } from '../../src/engine/pytestRun';
import { disposeWarmWorkers, prewarm, warmSupported } from '../../src/engine/warmWorker';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test/engine/fixtures');
const python = process.env.FLASK_TUTOR_PYTHON || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const linux = process.platform === 'linux';
const landlockAbi = (() => {
  if (!linux) return 0;
  try {
    const out = execFileSync(python, ['-c', 'import sys; sys.path.insert(0, sys.argv[1]); from flask_tutor_pytest._landlock import abi_version; print(abi_version())', path.join(root, 'python')], { encoding: 'utf8' });
    return Number(out.trim());
  } catch {
    return 0;
  }
})();

const temps: string[] = [];
after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(realTmp, prefix));
  temps.push(d);
  return d;
};

/** The app-ok fixture (GET / → {"message": "hello"}) with `extra` appended to app.py. */
function hostileApp(extra: string, files: Record<string, string> = {}): string {
  const dir = tempDir('integrity-app-');
  const base = fs.readFileSync(path.join(fixtures, 'app-ok', 'app.py'), 'utf8');
  fs.writeFileSync(path.join(dir, 'app.py'), `${base}\n\n# --- hostile part of the test ---\n${extra}\n`);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

interface Snapshot {
  [rel: string]: string;
}

/** sha256, mode and mtime of every entry (links not followed). */
function snapshot(dir: string): Snapshot {
  const out: Snapshot = {};
  const walk = (d: string, prefix: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      if (name === '__pycache__') continue; // Python's own cache (other test tiers write it), not ours
      const p = path.join(d, name);
      const rel = prefix + name;
      const st = fs.lstatSync(p);
      const content = st.isFile() ? crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex') : st.isSymbolicLink() ? `-> ${fs.readlinkSync(p)}` : 'dir';
      out[rel] = `${content} ${st.mode.toString(8)} ${st.mtimeMs}`;
      if (st.isDirectory()) walk(p, `${rel}/`);
    }
  };
  walk(dir, '');
  return out;
}

const processesWith = (marker: string) =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(marker) && !l.includes('ps -eo'));
/**
 * Each test's runs get a private TMPDIR (the engine makes its run folders in os.tmpdir()), so
 * "nothing left behind" is about this test's runs only, whatever else the machine is running.
 */
let privateTmp = '';
const realTmp = os.tmpdir();
const runFolders = () => (privateTmp && fs.existsSync(privateTmp) ? fs.readdirSync(privateTmp).filter((n) => n.startsWith('flask-tutor-run-')) : []);

interface Outcome {
  end: PytestRunEnd;
  verdicts: CheckVerdict[];
  events: VerifyEvent[];
  output: string;
}

async function verify(appDir: string, extra: Partial<PytestRunOptions> = {}): Promise<Outcome> {
  const results = new RunResults();
  const events: VerifyEvent[] = [];
  let output = '';
  const checksDir = extra.checksDir ?? path.join(fixtures, 'checks-basic');
  // Whatever the learner's code did, their folder, the checks and the plugin stay byte-identical.
  const guarded = [appDir, checksDir, path.join(root, 'python', 'flask_tutor_pytest')];
  const before = guarded.map((d) => snapshot(d));
  const end = await runPytest({
    python,
    pluginDir: path.join(root, 'python'),
    checksDir,
    appDir,
    checkTimeoutSec: 5,
    runTimeoutSec: 40,
    onEvent: (e) => {
      events.push(e);
      results.add(e);
    },
    onOutput: (t) => (output += t),
    warm,
    ...extra,
  }).done;
  // Each mode really ran that way (a run refused before it started has no `start`; the fake
  // extensions' plugin folders have no worker).
  if (end.start && !extra.pluginDir) assert.strictEqual(end.start, warm ? 'warm' : 'cold');
  guarded.forEach((d, i) => assert.deepStrictEqual(snapshot(d), before[i], `${d} changed during the run`));
  const keys = ['test_basic.py::test_home_ok', 'test_basic.py::test_home_message'];
  return { end, verdicts: results.verdicts(keys, end.reason), events, output };
}

const outcomes = (o: Outcome) => Object.fromEntries(o.verdicts.map((v) => [v.key.split('::')[1], v.outcome]));

/** The suite runs twice: cold (a process per run) and warm (a fork of the warm worker, Linux). */
let warm = false;

for (const mode of ['cold', 'warm'] as const) {
describe(`verify integrity (${mode}): hostile learner code through the real engine`, function () {
  this.timeout(60000);
  before(async function () {
    warm = mode === 'warm';
    if (warm) {
      if (!warmSupported()) this.skip();
      assert.ok(await prewarm(python, path.join(root, 'python')), 'the warm worker should start');
    }
  });
  after(() => {
    if (mode === 'warm') disposeWarmWorkers();
  });
  const savedTmp = process.env.TMPDIR;
  beforeEach(() => {
    privateTmp = fs.mkdtempSync(path.join(realTmp, 'integrity-tmp-'));
    temps.push(privateTmp);
    process.env.TMPDIR = privateTmp;
  });
  afterEach(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    // Nothing of a run outlives it: no folder, no process with a marker of these tests.
    const left = runFolders();
    assert.deepStrictEqual(left, [], `a run folder was left behind: ${left.map((d) => JSON.stringify(fs.readdirSync(path.join(privateTmp, d)))).join(' ')}`);
    assert.deepStrictEqual(processesWith('flask-tutor-hostile-marker'), [], 'a process of the learner code outlived the run');
  });

  describe('forged verdicts', () => {
    it('a forged event sent to the events address (read from /proc/self/environ) is refused', async () => {
      const app = hostileApp(`
import json, os, socket
env = dict(kv.split("=", 1) for kv in open("/proc/self/environ").read().split("\\0") if "=" in kv)
spec = env.get("FLASK_TUTOR_EVENTS", "")
if spec.startswith("tcp:"):
    host, _, port = spec[4:].rpartition(":")
    s = socket.create_connection((host, int(port)))
    for name in ("test_home_ok", "test_home_message"):
        ev = {"v": 2, "event": "result", "nodeid": "test_basic.py::" + name, "outcome": "passed", "duration": 0.0}
        s.sendall((json.dumps(ev) + "\\n").encode())
        s.sendall(("0" * 64 + " " + json.dumps(ev) + "\\n").encode())
    s.close()
assert "FLASK_TUTOR_SECRET" not in env, "the secret must never be in the environment"
`);
      const snap = snapshot(app);
      const o = await verify(app);
      assert.deepStrictEqual(outcomes(o), { test_home_ok: 'passed', test_home_message: 'failed' }, JSON.stringify(o.end));
      // Warm, /proc/self/environ is the worker's start-up environment: the address is not even
      // there (the plugin pops it from os.environ), so there is nothing to refuse.
      if (!warm) assert.ok(o.end.protocolErrors.some((e) => /without a valid signature was refused/.test(e)), o.end.protocolErrors.join('\n'));
      assert.deepStrictEqual(snapshot(app), snap);
    });

    it('forged events followed by exiting before the real results: nothing passes', async () => {
      const app = hostileApp(`
import json, os, socket
env = dict(kv.split("=", 1) for kv in open("/proc/self/environ").read().split("\\0") if "=" in kv)
spec = env.get("FLASK_TUTOR_EVENTS", "")
host, _, port = spec[4:].rpartition(":")
s = socket.create_connection((host, int(port)))
for name in ("test_home_ok", "test_home_message"):
    s.sendall((json.dumps({"v": 2, "event": "result", "nodeid": "test_basic.py::" + name, "outcome": "passed", "duration": 0.0}) + "\\n").encode())
s.close()
os._exit(0)
`);
      const o = await verify(app);
      assert.ok(!o.verdicts.some((v) => v.outcome === 'passed'), JSON.stringify(outcomes(o)));
    });

    it("replacing the plugin's result-sending function is caught by the cross-check with pytest's exit status", async () => {
      const app = hostileApp(`
import flask_tutor_pytest.plugin as _p
_sink = _p._STATE.sink
_emit = _sink.emit
def _forge(event, **fields):
    if event == "result":
        fields.update(outcome="passed", message=None)
    return _emit(event, **fields)
_sink.emit = _forge
`);
      const o = await verify(app);
      assert.strictEqual(o.end.reason.kind, 'tampered', JSON.stringify(o.end.reason));
      assert.ok(!o.verdicts.some((v) => v.outcome === 'passed'), JSON.stringify(outcomes(o)));
      assert.match(o.verdicts[1].messages[0].text, /cannot be trusted/);
    });

    it('patching socket.socket.sendall does not reach the channel (bound before learner code runs)', async () => {
      const app = hostileApp(`
import socket
_orig = socket.socket.sendall
def _rewrite(self, data, *a):
    return _orig(self, data.replace(b'"outcome":"failed"', b'"outcome":"passed"'), *a)
socket.socket.sendall = _rewrite
`);
      const o = await verify(app);
      assert.deepStrictEqual(outcomes(o), { test_home_ok: 'passed', test_home_message: 'failed' });
    });

    it('a learner module named like the check file is never collected in its place', async () => {
      const app = hostileApp('', {
        'test_basic.py': 'def test_home_ok():\n    pass\n\n\ndef test_home_message():\n    pass\n',
      });
      const o = await verify(app);
      assert.deepStrictEqual(outcomes(o), { test_home_ok: 'passed', test_home_message: 'failed' });
    });
  });

  describe('the checks themselves', () => {
    function fakeExtension(): { ext: string; checksDir: string; pluginDir: string } {
      const ext = tempDir('integrity-ext-');
      fs.cpSync(path.join(root, 'python', 'flask_tutor_pytest'), path.join(ext, 'python', 'flask_tutor_pytest'), {
        recursive: true,
        filter: (src) => !src.includes('__pycache__'),
      });
      const checksDir = path.join(ext, 'exercises', 'x1', 'basic', 'checks');
      fs.cpSync(path.join(fixtures, 'checks-basic'), checksDir, { recursive: true });
      fs.mkdirSync(path.join(ext, 'dist'));
      fs.writeFileSync(path.join(ext, 'dist', 'integrity.json'), JSON.stringify(integrityManifest(ext)));
      return { ext, checksDir, pluginDir: path.join(ext, 'python') };
    }

    it('npm run package records the same hashes the engine verifies', () => {
      const { ext } = fakeExtension();
      const fromScript = execFileSync(process.execPath, ['--input-type=module', '-e', `import { integrityManifest } from ${JSON.stringify(path.join(root, 'scripts', 'integrity.mjs'))}; console.log(JSON.stringify(integrityManifest(${JSON.stringify(ext)})))`], { encoding: 'utf8' });
      assert.deepStrictEqual(JSON.parse(fromScript), integrityManifest(ext));
      assert.ok(Object.keys(integrityManifest(ext).files).some((k) => k === 'exercises/x1/basic/checks/test_basic.py'));
    });

    it('runs the shipped checks when they match the hashes recorded at packaging', async () => {
      const { checksDir, pluginDir } = fakeExtension();
      const o = await verify(hostileApp(''), { checksDir, pluginDir });
      assert.deepStrictEqual(outcomes(o), { test_home_ok: 'passed', test_home_message: 'failed' });
      // Locations point at the shipped file, not at the run's (deleted) copy.
      const collected = o.events.find((e) => e.event === 'collected');
      assert.ok(collected && collected.event === 'collected' && collected.tests.every((t) => t.file.startsWith(checksDir)), JSON.stringify(collected));
    });

    it('refuses to run check files changed after packaging (a previous run of learner code rewrote them)', async () => {
      const { checksDir, pluginDir } = fakeExtension();
      fs.writeFileSync(path.join(checksDir, 'test_basic.py'), 'def test_home_ok():\n    pass\n\n\ndef test_home_message():\n    pass\n');
      const o = await verify(hostileApp(''), { checksDir, pluginDir });
      assert.strictEqual(o.end.reason.kind, 'tampered');
      assert.ok(o.verdicts.every((v) => v.outcome === 'errored'), JSON.stringify(outcomes(o)));
      assert.match(o.verdicts[0].messages[0].text, /exercises\/x1\/basic\/checks\/test_basic\.py was changed after the extension was installed/);
    });

    it('refuses a changed plugin file too', async () => {
      const { checksDir, pluginDir } = fakeExtension();
      fs.appendFileSync(path.join(pluginDir, 'flask_tutor_pytest', 'helpers.py'), '\n# changed\n');
      const o = await verify(hostileApp(''), { checksDir, pluginDir });
      assert.strictEqual(o.end.reason.kind, 'tampered');
      assert.match(o.verdicts[0].messages[0].text, /helpers\.py was changed/);
    });
  });

  // Linux: Landlock; macOS: sandbox-exec (src/engine/macSandbox.ts). Elsewhere these skip, saying why.
  const osGuard = landlockAbi >= 1 ? 'landlock' : process.platform === 'darwin' && fs.existsSync('/usr/bin/sandbox-exec') ? 'sandbox-exec' : undefined;
  describe(`the operating system guards the files (${osGuard ?? 'Landlock or sandbox-exec'})`, function () {
    before(function () {
      if (!osGuard) {
        console.log(`      (skipped: neither Landlock (Linux 5.13+) nor sandbox-exec (macOS) is available here: ${process.platform})`);
        this.skip();
      }
    });

    const attempts: [string, (target: string, outside: string) => string][] = [
      ['a shell started with subprocess', (t) => `import subprocess\nsubprocess.run(["sh", "-c", "echo pwned > ${t}/pwned.txt; rm -f ${t}/app.py"])`],
      ['os.open with dir_fd', (t) => `import os\nfd = os.open(${JSON.stringify(t)}, os.O_RDONLY)\ntry:\n    os.close(os.open("pwned.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd))\nexcept OSError:\n    pass\ntry:\n    os.unlink("app.py", dir_fd=fd)\nexcept OSError:\n    pass`],
      ['raw sqlite3.Connection and _sqlite3.connect', (t) => `import sqlite3, _sqlite3\nfor f in (sqlite3.Connection, _sqlite3.connect):\n    try:\n        c = f(${JSON.stringify(t)} + "/pwned.db")\n        c.execute("create table t (x)")\n        c.commit()\n    except Exception:\n        pass`],
      ['an atexit handler and a late thread', (t) => `import atexit, threading, time\ndef _w():\n    try:\n        open(${JSON.stringify(t)} + "/pwned.txt", "w").write("x")\n    except OSError:\n        pass\natexit.register(_w)\ndef _late():\n    time.sleep(1.5)\n    _w()\nthreading.Thread(target=_late, daemon=True).start()`],
      ['a write through a symlink inside the folder', (_t, outside) => `import os\ntry:\n    open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "link.txt"), "w").write("pwned")\nexcept OSError:\n    pass\nassert ${JSON.stringify(outside)}`],
    ];

    for (const [name, code] of attempts) {
      it(`refuses ${name}: the learner folder and the file outside stay byte-identical`, async () => {
        const outsideDir = tempDir('integrity-outside-');
        const outside = path.join(outsideDir, 'target.txt');
        fs.writeFileSync(outside, 'untouched\n');
        const dir = tempDir('integrity-app-');
        const app = hostileApp('');
        fs.cpSync(app, dir, { recursive: true });
        fs.symlinkSync(outside, path.join(dir, 'link.txt'));
        fs.appendFileSync(path.join(dir, 'app.py'), `\n${code(dir, outside)}\n`);
        const snap = snapshot(dir);
        const outsideSnap = snapshot(outsideDir);
        const o = await verify(dir);
        await new Promise((r) => setTimeout(r, 2000)); // a late writer would have written by now
        assert.deepStrictEqual(snapshot(dir), snap);
        assert.deepStrictEqual(snapshot(outsideDir), outsideSnap);
        assert.deepStrictEqual(outcomes(o), { test_home_ok: 'passed', test_home_message: 'failed' });
        const session = o.events.find((e) => e.event === 'session');
        assert.match(String(session && session.event === 'session' ? session.protection : ''), osGuard === 'landlock' ? /^landlock ABI \d+$/ : /^macOS sandbox-exec/);
      });
    }
  });

  describe('nothing outlives a run', () => {
    const orphanMakers: [string, string][] = [
      ['start_new_session=True', `import subprocess, sys\nsubprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "flask-tutor-hostile-marker"], start_new_session=True)`],
      ['a double fork with setsid', `import os, sys, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(60)", "flask-tutor-hostile-marker"])\n    os._exit(0)\ntime.sleep(0.2)`],
      ['a process that keeps writing into the run folder', `import subprocess, sys\nsubprocess.Popen([sys.executable, "-c", "import time, tempfile, os\\nwhile True:\\n    open(os.path.join(tempfile.gettempdir(), 'x'), 'a').write('x')\\n    time.sleep(0.05)", "flask-tutor-hostile-marker"], start_new_session=True)`],
    ];
    for (const [name, code] of orphanMakers) {
      it(`ends processes started with ${name}, at the end of the run`, async function () {
        if (!linux) this.skip();
        const o = await verify(hostileApp(code));
        assert.deepStrictEqual(outcomes(o), { test_home_ok: 'passed', test_home_message: 'failed' });
      });
    }

    it('ends them on Cancel too', async function () {
      if (!linux) this.skip();
      const app = hostileApp(orphanMakers[0][1]);
      const handle = runPytest({ python, pluginDir: path.join(root, 'python'), checksDir: path.join(fixtures, 'checks-slow'), appDir: app, checkTimeoutSec: 0, warm });
      for (let i = 0; i < 100 && processesWith('flask-tutor-hostile-marker').length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(processesWith('flask-tutor-hostile-marker').length > 0, 'the orphan should have started');
      handle.cancel();
      const end = await handle.done;
      assert.strictEqual(end.reason.kind, 'cancelled');
    });
  });

  describe('hangs', () => {
    it('a non-daemon thread left running does not hold the run open; the output names it', async () => {
      const app = hostileApp(`import threading, time\ndef forever():\n    while True:\n        time.sleep(0.1)\nthreading.Thread(target=forever, name="learner-poller").start()`);
      const started = Date.now();
      const o = await verify(app, { runTimeoutSec: 30 });
      assert.strictEqual(o.end.reason.kind, 'completed', JSON.stringify(o.end.reason));
      assert.deepStrictEqual(outcomes(o), { test_home_ok: 'passed', test_home_message: 'failed' });
      assert.ok(Date.now() - started < 25000, 'the run ended long before its timeout');
      // Learner modules are imported again for each check: one thread per import.
      assert.match(o.output, /left threads? running: learner-poller \(.*app\.py:\d+\)/);
      assert.ok(!o.output.includes('flask-tutor-run-'), 'output names the shipped check files, not the run copy');
    });

    it('a hang that swallows every timeout: the check that hung is blamed at its line, the others say they did not run because of it', async function () {
      if (process.platform === 'win32') this.skip();
      const app = hostileApp(
        [
          'import signal',
          '_orig_create_app = create_app',
          'def create_app(test_config=None):',
          '    app = _orig_create_app(test_config)',
          '    @app.before_request',
          '    def stubborn():',
          '        while True:',
          '            try:',
          '                while True:',
          '                    pass  # flask-tutor-hang-line',
          '            except BaseException:',
          '                pass',
          '    return app',
        ].join('\n'),
      );
      const o = await verify(app, { checkTimeoutSec: 1, runTimeoutSec: 5 });
      assert.strictEqual(o.end.reason.kind, 'timeout', JSON.stringify(o.end.reason));
      const [hung, notRun] = o.verdicts;
      assert.strictEqual(hung.outcome, 'errored');
      assert.match(hung.messages[0].text, /still running when the run reached its 5 s limit/);
      assert.match(hung.messages[0].text, /Python was running app\.py, line \d+ \(in stubborn\)/);
      const lines = fs.readFileSync(path.join(app, 'app.py'), 'utf8').split('\n');
      const hangLine = lines.findIndex((l) => l.includes('flask-tutor-hang-line')) + 1;
      assert.strictEqual(hung.messages[0].location?.file, path.join(app, 'app.py'));
      assert.ok([hangLine - 1, hangLine].includes(hung.messages[0].location?.line ?? 0), `line ${hung.messages[0].location?.line}, expected about ${hangLine}`);
      assert.strictEqual(notRun.outcome, 'errored');
      assert.match(notRun.messages[0].text, /^Not run: the run was stopped because "test_home_ok" hung/);
    });
  });

  describe('recursion', () => {
    it('infinite recursion under a raised recursion limit is reported as one, naming the function, long before the timeouts', async () => {
      const app = hostileApp(
        [
          'import sys',
          'sys.setrecursionlimit(100000)',
          'def walk(n):',
          '    return walk(n + 1) + 1',
          '_orig_create_app = create_app',
          'def create_app(test_config=None):',
          '    app = _orig_create_app(test_config)',
          '    app.before_request(lambda: walk(0))',
          '    return app',
        ].join('\n'),
      );
      // Before the traceback was bounded, pytest spent more than 40 s formatting 100,000 frames.
      const o = await verify(app, { checkTimeoutSec: 20, runTimeoutSec: 40 });
      assert.strictEqual(o.end.reason.kind, 'completed', `the run must end by itself, not at its timeout: ${JSON.stringify(o.end.reason)}`);
      for (const v of o.verdicts) {
        assert.strictEqual(v.outcome, 'failed');
        assert.match(v.messages[0].text, /walk\(\) keeps calling itself and never stops \(app\.py, line \d+\)/);
      }
    });
  });

  describe('messages', () => {
    it('os._exit() in a view: the check that was running says Python ended early and names os._exit, not "not collected"', async () => {
      const app = hostileApp(
        ['import os', '_orig_create_app = create_app', 'def create_app(test_config=None):', '    app = _orig_create_app(test_config)', '    app.before_request(lambda: os._exit(0))', '    return app'].join('\n'),
      );
      const o = await verify(app);
      assert.strictEqual(o.end.reason.kind, 'crashed', JSON.stringify(o.end.reason));
      const [running, notRun] = o.verdicts;
      assert.strictEqual(running.outcome, 'errored');
      assert.match(running.messages[0].text, /^Python stopped while this check was running: Python ended \(exit code 0\) before the run finished\. Does your code call os\._exit\(\)/);
      assert.match(notRun.messages[0].text, /^Not run: Python stopped while "test_home_ok" was running/);
    });

    it('input() at import: says checks cannot type, not pytest\'s "Consider using -s"', async () => {
      const o = await verify(hostileApp('name = input("Your name? ")'));
      for (const v of o.verdicts) {
        assert.strictEqual(v.outcome, 'errored');
        assert.match(v.messages[0].text, /^Loading your app stopped at input\(\) \(app\.py, line \d+\)\. Your code calls input\(\), which waits for someone to type an answer: checks cannot type\./);
        assert.doesNotMatch(v.messages[0].text, /-s`|captured/);
      }
    });

    it('a write refused while the app loads: said once, as happening while loading', async () => {
      const o = await verify(hostileApp('import os as _os\nopen(_os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "notes.txt"), "w").write("x")'));
      const text = o.verdicts[0].messages[0].text;
      assert.match(text, /^Loading your app tried to write to notes\.txt inside your exercise folder \(app\.py, line \d+\)\. Checks never change your files/);
      assert.strictEqual(text.split('Checks never change your files').length, 2, `said twice: ${text}`);
      assert.doesNotMatch(text, /while a check ran/);
    });

    // SQLAlchemy 1.4 loads psycopg2 for postgresql://, SQLAlchemy 2.1 psycopg (3).
    it('a PostgreSQL URL without its driver names the URL\'s driver, not an import of the learner', async function () {
      const app = tempDir('integrity-pg-');
      fs.writeFileSync(
        path.join(app, 'app.py'),
        [
          'from flask import Flask, jsonify',
          'from flask_sqlalchemy import SQLAlchemy',
          '',
          'db = SQLAlchemy()',
          '',
          '',
          'def create_app(test_config=None):',
          '    app = Flask(__name__)',
          '    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://tutor:tutor@127.0.0.1/tutor"',
          '    db.init_app(app)',
          '',
          '    @app.get("/")',
          '    def home():',
          '        return jsonify(message="hello")',
          '',
          '    return app',
        ].join('\n'),
      );
      const probe = execFileSync(python, ['-c', 'import importlib.util as u; print(bool(u.find_spec("flask_sqlalchemy")), bool(u.find_spec("psycopg2") or u.find_spec("psycopg")))'], { encoding: 'utf8' }).trim();
      if (probe !== 'True False') {
        console.log(`      (skipped: needs Flask-SQLAlchemy without psycopg2/psycopg in ${python}: ${probe})`);
        this.skip();
      }
      const o = await verify(app);
      const v = o.verdicts[0];
      assert.strictEqual(v.outcome, 'errored');
      assert.match(v.messages[0].text, /^Your database URL needs the driver '(psycopg2|psycopg)', which is not installed .*SQLAlchemy imports it when the database is set up \(app\.py, line 10\)\. Install it with: python -m pip install (psycopg2-binary|psycopg)/);
      assert.doesNotMatch(v.messages[0].text, /Your code imports/);
    });

    it('os.fork() in a view: the child never runs the rest of the session (one result per check)', async function () {
      if (process.platform === 'win32') this.skip();
      const o = await verify(hostileApp(['import os', '_orig_create_app = create_app', 'def create_app(test_config=None):', '    app = _orig_create_app(test_config)', '    app.before_request(lambda: (os.fork(), None)[1])', '    return app'].join('\n')));
      assert.strictEqual(o.end.reason.kind, 'completed', JSON.stringify(o.end.reason));
      assert.deepStrictEqual(outcomes(o), { test_home_ok: 'passed', test_home_message: 'failed' });
      const results = o.events.filter((e) => e.event === 'result').map((e) => (e as { nodeid: string }).nodeid.split('::')[1]);
      assert.deepStrictEqual(results, ['test_home_ok', 'test_home_message'], 'a forked child sent results of its own');
    });

    it('closing every inherited descriptor at import: said plainly, not "pytest did not collect it"', async () => {
      const o = await verify(hostileApp('import os\nos.closerange(3, 4096)'));
      assert.notStrictEqual(o.end.reason.kind, 'completed', JSON.stringify(o.end.reason));
      for (const v of o.verdicts) {
        assert.strictEqual(v.outcome, 'errored');
        assert.match(v.messages[0].text, /close file descriptors it did not open/);
      }
    });
  });
});
}
