/**
 * The warm worker (src/engine/warmWorker.ts, python/flask_tutor_pytest/_worker.py) through the
 * real engine: real exercises give the same verdicts and messages warm as cold, a learner module
 * changed between two warm verifies is seen, a hanging or crashing run ends as a cold one does and
 * leaves the worker serving, a worker killed mid-run falls back to cold with a log line, an idle
 * worker ends. Linux only (elsewhere every verify is cold). Python: FLASK_TUTOR_PYTHON or
 * /usr/bin/python3.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { VerifyEvent } from '../../src/core/protocol';
import { runPytest, type PytestRunEnd, type PytestRunOptions } from '../../src/engine/pytestRun';
import { configureWarmWorker, disposeWarmWorkers, prewarm, warmSupported, warmWorkerFor } from '../../src/engine/warmWorker';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test/engine/fixtures');
const pluginDir = path.join(root, 'python');
const python = process.env.FLASK_TUTOR_PYTHON || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
};
const logLines: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const processesWith = (marker: string) =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(marker) && !l.includes('ps -eo'));

interface Run {
  end: PytestRunEnd;
  events: VerifyEvent[];
  output: string;
}

async function verify(appDir: string, checksDir: string, warm: boolean, extra: Partial<PytestRunOptions> = {}): Promise<Run> {
  const events: VerifyEvent[] = [];
  let output = '';
  const end = await runPytest({
    python,
    pluginDir,
    checksDir,
    appDir,
    checkTimeoutSec: 10,
    runTimeoutSec: 60,
    warm,
    onEvent: (e) => events.push(e),
    onOutput: (t) => (output += t),
    ...extra,
  }).done;
  return { end, events, output };
}

/** What a learner is told: per check, outcome, message, diff, locations (durations, output aside). */
function told(run: Run): unknown {
  const results = run.events
    .filter((e): e is Extract<VerifyEvent, { event: 'result' }> => e.event === 'result')
    .map((e) => ({ nodeid: e.nodeid, outcome: e.outcome, message: e.message, expected: e.expected, actual: e.actual, location: e.location, checkLocation: e.checkLocation, requests: e.requests }));
  const app = run.events.find((e) => e.event === 'app');
  const appTold = app && app.event === 'app' ? { ...app, output: undefined, traceback: undefined } : undefined;
  return { reason: run.end.reason.kind, exitCode: run.end.exitCode, app: appTold, results };
}

/** The solution with `overlay`'s files on top (a mutant or a variant), in a fresh folder. */
function learnerCopy(exerciseDir: string, overlay?: string): string {
  const dir = tempDir('warm-app-');
  fs.cpSync(path.join(exerciseDir, 'solution'), dir, { recursive: true });
  if (overlay) {
    for (const f of fs.readdirSync(overlay)) if (!f.endsWith('.json')) fs.cpSync(path.join(overlay, f), path.join(dir, f), { recursive: true });
  }
  return dir;
}

describe('engine: the warm worker', function () {
  this.timeout(120000);
  before(async function () {
    if (!warmSupported()) this.skip();
    configureWarmWorker({ log: (l) => logLines.push(l), idleSec: 600 });
    assert.ok(await prewarm(python, pluginDir), `the worker should start: ${logLines.join('\n')}`);
  });
  after(() => {
    disposeWarmWorkers();
    configureWarmWorker({ log: () => undefined, idleSec: 600 });
    temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });

  for (const exercise of ['f3/todo-crud', 'f1/first-app']) {
    it(`${exercise}: golden path, mutants and variants tell the same warm as cold`, async () => {
      const exerciseDir = path.join(root, 'exercises', exercise);
      const checksDir = path.join(exerciseDir, 'checks');
      const cases: [string, string | undefined][] = [['solution', undefined]];
      for (const kind of ['mutants', 'variants']) {
        const d = path.join(exerciseDir, kind);
        if (fs.existsSync(d)) for (const name of fs.readdirSync(d)) cases.push([`${kind}/${name}`, path.join(d, name)]);
      }
      for (const [name, overlay] of cases) {
        const app = learnerCopy(exerciseDir, overlay);
        const cold = await verify(app, checksDir, false);
        const warm = await verify(app, checksDir, true);
        assert.strictEqual(cold.end.start, 'cold');
        assert.strictEqual(warm.end.start, 'warm', `${name}: ran ${warm.end.start}`);
        assert.deepStrictEqual(told(warm), told(cold), `${name}: warm and cold differ`);
        const session = warm.events.find((e) => e.event === 'session');
        assert.ok(session && session.event === 'session' && session.protection === (cold.events.find((e) => e.event === 'session') as { protection?: string }).protection);
      }
    });
  }

  it('sees a learner module changed between two warm verifies (modules are imported fresh in each fork)', async () => {
    const exerciseDir = path.join(root, 'exercises', 'f3/todo-crud');
    const checksDir = path.join(exerciseDir, 'checks');
    const app = learnerCopy(exerciseDir);
    const first = await verify(app, checksDir, true);
    assert.strictEqual(first.end.start, 'warm');
    assert.ok((told(first) as { results: { outcome: string }[] }).results.every((r) => r.outcome === 'passed'));
    const mutant = path.join(exerciseDir, 'mutants', 'create-answers-200');
    for (const f of fs.readdirSync(mutant)) if (f.endsWith('.py')) fs.copyFileSync(path.join(mutant, f), path.join(app, f));
    const second = await verify(app, checksDir, true);
    assert.strictEqual(second.end.start, 'warm');
    const failed = (told(second) as { results: { outcome: string }[] }).results.filter((r) => r.outcome !== 'passed');
    assert.ok(failed.length > 0, 'the changed module should be seen');
    // And back: the fixed module passes again.
    for (const f of fs.readdirSync(mutant)) if (f.endsWith('.py')) fs.copyFileSync(path.join(exerciseDir, 'solution', f), path.join(app, f));
    const third = await verify(app, checksDir, true);
    assert.ok((told(third) as { results: { outcome: string }[] }).results.every((r) => r.outcome === 'passed'));
  });

  it("sees every change to the learner's files between two warm verifies: same size and mtime, a new module, a deleted one, a package module", async () => {
    const app = tempDir('warm-change-');
    const checks = tempDir('warm-change-checks-');
    fs.mkdirSync(path.join(app, 'pkg'));
    fs.writeFileSync(path.join(app, 'pkg', '__init__.py'), '');
    fs.writeFileSync(path.join(app, 'pkg', 'words.py'), 'WORD = "aaaa"\n');
    fs.writeFileSync(path.join(app, 'helper.py'), 'VALUE = 1111\n');
    fs.writeFileSync(
      path.join(app, 'app.py'),
      [
        'from flask import Flask',
        'import helper',
        'from pkg import words',
        'try:',
        '    import extra',
        '    EXTRA = extra.EXTRA',
        'except ImportError:',
        '    EXTRA = None',
        '',
        '',
        'def create_app(test_config=None):',
        '    app = Flask(__name__)',
        '',
        '    @app.get("/")',
        '    def home():',
        '        return {"value": helper.VALUE, "word": words.WORD, "extra": EXTRA}',
        '',
        '    return app',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(checks, 'test_values.py'), 'def test_values(client):\n    """GET / answers the values."""\n    assert client.get("/").get_json() == {"value": 2222, "word": "bbbb", "extra": 3}\n');
    const actual = async (warm = true) => {
      const run = await verify(app, checks, warm);
      assert.strictEqual(run.end.start, warm ? 'warm' : 'cold', `${JSON.stringify(run.end)} ${logLines.join('\n')}`);
      const result = run.events.find((e) => e.event === 'result');
      assert.ok(result && result.event === 'result', JSON.stringify(run.end));
      return result.outcome === 'passed' ? 'passed' : JSON.parse(result.actual ?? 'null');
    };
    assert.deepStrictEqual(await actual(), { value: 1111, word: 'aaaa', extra: null });
    // The same size and the same modification time (an editor that keeps it, a checkout, two
    // saves in one second): seen all the same, nothing of a run is cached for the next.
    const same = (file: string, text: string) => {
      const st = fs.statSync(file);
      assert.strictEqual(Buffer.byteLength(text), st.size);
      fs.writeFileSync(file, text);
      fs.utimesSync(file, st.atime, st.mtime);
    };
    same(path.join(app, 'helper.py'), 'VALUE = 2222\n');
    assert.deepStrictEqual(await actual(), { value: 2222, word: 'aaaa', extra: null });
    same(path.join(app, 'pkg', 'words.py'), 'WORD = "bbbb"\n');
    assert.deepStrictEqual(await actual(), { value: 2222, word: 'bbbb', extra: null });
    fs.writeFileSync(path.join(app, 'extra.py'), 'EXTRA = 3\n');
    assert.strictEqual(await actual(), 'passed');
    fs.rmSync(path.join(app, 'extra.py'));
    assert.deepStrictEqual(await actual(), { value: 2222, word: 'bbbb', extra: null });
    assert.deepStrictEqual(await actual(false), { value: 2222, word: 'bbbb', extra: null }, 'cold says the same');
  });

  it('an exercise started or reopened starts the worker (prewarm, src/course/pythonCommands.ts): its very first verify is warm', async () => {
    disposeWarmWorkers();
    assert.strictEqual(warmWorkerFor(python, pluginDir), undefined);
    const exerciseDir = path.join(root, 'exercises', 'f1/first-app');
    const app = learnerCopy(exerciseDir);
    // What starting the exercise does: no verify has run with this interpreter yet.
    const starting = prewarm(python, pluginDir);
    assert.strictEqual(prewarm(python, pluginDir), starting, 'a second start (a reopen) does not start a second worker');
    assert.ok(await starting, logLines.join('\n'));
    const first = await verify(app, path.join(exerciseDir, 'checks'), true);
    assert.strictEqual(first.end.start, 'warm', 'the first verify after the start is a fork of the worker');
    const cold = await verify(app, path.join(exerciseDir, 'checks'), false);
    assert.deepStrictEqual(told(first), told(cold));
  });

  it('the process a check runs in is the same warm as cold: cwd, sys.path, argv, environment, flags, logging, warnings, signals, stdio, descriptors, limits', async () => {
    const checks = tempDir('warm-probe-checks-');
    fs.writeFileSync(
      path.join(checks, 'test_probe.py'),
      [
        'import faulthandler, gc, json, logging, os, resource, signal, sys, tempfile, threading, time, warnings',
        '',
        '',
        'def test_probe(client):',
        '    st = {"cwd": os.getcwd(), "path": sys.path, "argv": sys.argv, "flags": repr(sys.flags), "env": dict(sorted(os.environ.items()))}',
        '    st["root"] = [logging.root.level, [repr(h) for h in logging.root.handlers], logging.root.manager.disable]',
        '    st["handlers"] = {k: [repr(h) for h in v.handlers] for k, v in sorted(logging.Logger.manager.loggerDict.items()) if getattr(v, "handlers", None)}',
        '    st["warnings"] = [repr((f[0], getattr(f[1], "pattern", f[1]), f[2], getattr(f[3], "pattern", f[3]), f[4])) for f in warnings.filters]',
        '    st["tempdir"] = tempfile.gettempdir()',
        '    st["time"] = [time.tzname, time.timezone, sys.getrecursionlimit(), sys.getswitchinterval(), gc.isenabled(), gc.get_threshold()]',
        '    st["signals"] = {s.name: repr(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD, signal.SIGHUP, signal.SIGALRM, signal.SIGUSR1, signal.SIGXFSZ)}',
        '    st["sigmask"] = sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, []))',
        '    st["umask"] = os.umask(0o22)',
        '    os.umask(st["umask"])',
        '    st["limits"] = [resource.getrlimit(getattr(resource, n)) for n in ("RLIMIT_NOFILE", "RLIMIT_STACK", "RLIMIT_AS", "RLIMIT_CORE")]',
        '    st["stdio"] = [(f.encoding, f.errors, f.line_buffering) for f in (sys.__stdin__, sys.__stdout__, sys.__stderr__)]',
        '    st["bytecode"] = [sys.dont_write_bytecode, sys.pycache_prefix, sys.getdefaultencoding(), sys.getfilesystemencoding()]',
        '    st["hooks"] = [[type(m).__name__ if not isinstance(m, type) else m.__name__ for m in sys.meta_path], len(sys.path_hooks), repr(sys.excepthook), repr(threading.excepthook)]',
        '    st["process"] = [faulthandler.is_enabled(), [t.name for t in threading.enumerate()], sorted(os.listdir("/proc/self/fd")), [os.get_blocking(i) for i in (0, 1, 2)], os.getpgid(0) == os.getpid(), os.getsid(0) == os.getpid(), os.nice(0)]',
        '    st["main"] = [getattr(sys.modules["__main__"], "__file__", None), getattr(getattr(sys.modules["__main__"], "__spec__", None), "name", None)]',
        '    print("PROBE" + json.dumps(st, default=repr))',
        '',
      ].join('\n'),
    );
    const app = tempDir('warm-probe-app-');
    fs.cpSync(path.join(fixtures, 'app-ok'), app, { recursive: true });
    const probe = async (warm: boolean) => {
      const run = await verify(app, checks, warm);
      assert.strictEqual(run.end.start, warm ? 'warm' : 'cold');
      const result = run.events.find((e) => e.event === 'result') as { outcome?: string; output?: string; message?: string } | undefined;
      assert.strictEqual(result?.outcome, 'passed', result?.message);
      const line = (result?.output ?? '').split('\n').find((l) => l.startsWith('PROBE'));
      assert.ok(line, `no probe output: ${JSON.stringify(result)}`);
      // Different in any two runs: the run folder, the per-run working folder, addresses.
      return JSON.parse(line.slice(5).replace(/flask-tutor-run-[A-Za-z0-9]+/g, 'RUN').replace(/flask-tutor-[a-z0-9_]{8}/g, 'CWD').replace(/ at 0x[0-9a-f]+/g, ' at 0x'));
    };
    const cold = await probe(false);
    const warm = await probe(true);
    for (const key of Object.keys(cold)) assert.deepStrictEqual(warm[key], cold[key], `${key} differs warm and cold`);
  });

  it('a hanging run is stopped at the run timeout (its process group), and the worker serves the next run', async () => {
    const app = tempDir('warm-hang-');
    fs.cpSync(path.join(fixtures, 'app-ok'), app, { recursive: true });
    const worker = warmWorkerFor(python, pluginDir);
    const run = await verify(app, path.join(fixtures, 'checks-slow'), true, { checkTimeoutSec: 0, runTimeoutSec: 2 });
    assert.strictEqual(run.end.start, 'warm');
    assert.strictEqual(run.end.reason.kind, 'timeout');
    assert.ok(worker?.pid && alive(worker.pid), 'the worker lives on');
    const next = await verify(app, path.join(fixtures, 'checks-basic'), true);
    assert.strictEqual(next.end.start, 'warm');
    assert.strictEqual(next.end.reason.kind, 'completed');
  });

  it('a run that crashes (the learner kills Python) is said as a cold one is, and the worker serves the next run', async () => {
    const app = tempDir('warm-crash-');
    const base = fs.readFileSync(path.join(fixtures, 'app-ok', 'app.py'), 'utf8');
    fs.writeFileSync(path.join(app, 'app.py'), `${base}\n\nimport os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n`);
    const cold = await verify(app, path.join(fixtures, 'checks-basic'), false);
    const warm = await verify(app, path.join(fixtures, 'checks-basic'), true);
    assert.strictEqual(warm.end.start, 'warm');
    assert.strictEqual(warm.end.reason.kind, 'crashed');
    assert.deepStrictEqual(warm.end.reason, cold.end.reason);
    const next = await verify(path.join(fixtures, 'app-ok'), path.join(fixtures, 'checks-basic'), true);
    assert.strictEqual(next.end.start, 'warm');
  });

  it('a worker killed mid-run: the run is run again cold, with a log line, and nothing is left', async () => {
    const app = tempDir('warm-killed-');
    const base = fs.readFileSync(path.join(fixtures, 'app-ok', 'app.py'), 'utf8');
    fs.writeFileSync(path.join(app, 'app.py'), `${base}\n\nimport time\ntime.sleep(1.5)  # flask-tutor-warm-marker\n`);
    const worker = warmWorkerFor(python, pluginDir);
    assert.ok(worker?.pid);
    const before = logLines.length;
    const pending = verify(app, path.join(fixtures, 'checks-basic'), true);
    await sleep(700);
    process.kill(worker.pid, 'SIGKILL');
    const run = await pending;
    assert.strictEqual(run.end.start, 'cold');
    assert.strictEqual(run.end.reason.kind, 'completed');
    const results = run.events.filter((e) => e.event === 'result');
    assert.strictEqual(results.length, 2, 'each check said once');
    assert.ok(logLines.slice(before).some((l) => /running it cold/.test(l)), logLines.slice(before).join('\n'));
    assert.ok(!alive(worker.pid));
    // A cold run starts the worker again for the next verify.
    for (let i = 0; i < 100 && !warmWorkerFor(python, pluginDir)?.ready; i++) await sleep(100);
    assert.ok(warmWorkerFor(python, pluginDir)?.ready, 'a new worker after the cold run');
  });

  it('Cancel of a warm run, at once or later, ends the forked supervisor and pytest (no child of the worker is left)', async () => {
    const app = tempDir('warm-cancel-');
    fs.cpSync(path.join(fixtures, 'app-ok'), app, { recursive: true });
    const worker = warmWorkerFor(python, pluginDir);
    assert.ok(worker?.pid && worker.ready);
    const children = () => fs.readFileSync(`/proc/${worker.pid}/task/${worker.pid}/children`, 'utf8').trim();
    for (const delay of [0, 5, 50, 300]) {
      const events: VerifyEvent[] = [];
      const handle = runPytest({ python, pluginDir, checksDir: path.join(fixtures, 'checks-slow'), appDir: app, checkTimeoutSec: 0, warm: true, onEvent: (e) => events.push(e) });
      if (delay) await sleep(delay);
      const at = Date.now();
      handle.cancel();
      const end = await handle.done;
      assert.strictEqual(end.reason.kind, 'cancelled', `delay ${delay}: ${JSON.stringify(end)}`);
      assert.ok(Date.now() - at < 2500, `delay ${delay}: cancel took ${Date.now() - at} ms`);
      for (let i = 0; i < 20 && children(); i++) await sleep(50);
      assert.strictEqual(children(), '', `delay ${delay}: a child of the worker is left`);
    }
  });

  it('a package installed into the interpreter ends its worker: that run is cold, the next worker sees the package', async () => {
    const venv = tempDir('warm-venv-');
    execFileSync(python, ['-m', 'venv', '--system-site-packages', '--without-pip', venv]);
    const venvPython = path.join(venv, 'bin', 'python');
    const app = tempDir('warm-stale-');
    fs.writeFileSync(
      path.join(app, 'app.py'),
      'from flask import Flask\ntry:\n    from flask_tutor_fake_pkg import VALUE\nexcept ImportError:\n    VALUE = None\napp = Flask(__name__)\n\n\n@app.get("/")\ndef home():\n    return {"value": VALUE}\n',
    );
    const checks = tempDir('warm-stale-checks-');
    fs.writeFileSync(path.join(checks, 'test_fake.py'), 'def test_fake(client):\n    assert client.get("/").get_json()["value"] == 42, "no fake package"\n');
    const run = async () => {
      const events: VerifyEvent[] = [];
      const end = await runPytest({ python: venvPython, pluginDir, checksDir: checks, appDir: app, runTimeoutSec: 60, warm: true, onEvent: (e) => events.push(e) }).done;
      const result = events.find((e) => e.event === 'result');
      return { end, outcome: result && result.event === "result" ? result.outcome : undefined, message: result && result.event === "result" ? result.message : undefined };
    };
    try {
      assert.ok(await prewarm(venvPython, pluginDir));
      const before = await run();
      assert.strictEqual(before.end.start, 'warm');
      assert.strictEqual(before.outcome, 'failed');
      // "pip install": a new module in the venv's site-packages (its folder's mtime changes).
      const site = fs.readdirSync(path.join(venv, 'lib')).map((d) => path.join(venv, 'lib', d, 'site-packages'))[0];
      await sleep(20);
      fs.writeFileSync(path.join(site, 'flask_tutor_fake_pkg.py'), 'VALUE = 42\n');
      const after = await run();
      assert.strictEqual(after.end.start, 'cold', 'the stale worker is not used');
      assert.strictEqual(after.outcome, 'passed', after.message ?? undefined);
      assert.ok(logLines.some((l) => /installed packages changed/.test(l)), logLines.join('\n'));
      for (let i = 0; i < 100 && !warmWorkerFor(venvPython, pluginDir)?.ready; i++) await sleep(100);
      const again = await run();
      assert.strictEqual(again.end.start, 'warm');
      assert.strictEqual(again.outcome, 'passed');
    } finally {
      warmWorkerFor(venvPython, pluginDir)?.end('ended (test over)');
    }
  });

  it('dies with the process that started it (the extension host killed: no orphan worker)', async () => {
    const script = `const ww = require(${JSON.stringify(path.join(root, 'out/src/engine/warmWorker.js'))});
ww.prewarm(${JSON.stringify(python)}, ${JSON.stringify(pluginDir)}).then((ok) => { console.log(ok ? ww.warmWorkerFor(${JSON.stringify(python)}, ${JSON.stringify(pluginDir)}).pid : 0); setInterval(() => undefined, 1000); });`;
    const { spawn } = await import('child_process');
    const host = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => host.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    assert.ok(pid > 0 && alive(pid), 'the host started a worker');
    const home = path.dirname(path.dirname(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1]));
    assert.match(path.basename(home), /^fbt-warm-worker-/);
    assert.ok(fs.existsSync(home));
    host.kill('SIGKILL');
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
    assert.ok(!alive(pid), 'the worker outlived its host');
    assert.ok(!fs.existsSync(home), `the worker's folder ${home} is left behind (the host never got to remove it)`);
  });

  it('ends after its idle time', async () => {
    disposeWarmWorkers();
    configureWarmWorker({ idleSec: 1 });
    try {
      assert.ok(await prewarm(python, pluginDir));
      const pid = warmWorkerFor(python, pluginDir)?.pid;
      assert.ok(pid && alive(pid));
      for (let i = 0; i < 60 && warmWorkerFor(python, pluginDir); i++) await sleep(100);
      assert.strictEqual(warmWorkerFor(python, pluginDir), undefined, 'the worker should have ended');
      await sleep(100);
      assert.ok(!alive(pid), 'its process is gone');
      assert.ok(logLines.some((l) => /ended \(idle\)/.test(l)));
    } finally {
      configureWarmWorker({ idleSec: 600 });
    }
    assert.ok(await prewarm(python, pluginDir));
  });

  it('the worker runs _worker.py with one thread and only libraries preloaded', () => {
    const pid = warmWorkerFor(python, pluginDir)?.pid;
    assert.ok(pid);
    const maps = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    assert.match(maps, /_worker\.py/);
    assert.deepStrictEqual(processesWith('flask-tutor-warm-marker'), []);
    const info = warmWorkerFor(python, pluginDir)?.info;
    assert.strictEqual(info?.threads, 1);
    assert.ok(info?.preloaded.includes('pytest') && info.preloaded.includes('flask'));
  });
});
