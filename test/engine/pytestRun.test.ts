/**
 * The run engine against real pytest, real Flask and our real plugin (no VS Code): verdicts,
 * cancel, timeout, missing Python, and no process left behind; robustness: a learner app that
 * floods stdout, many runs in a row, cancel before the plugin connects. Python:
 * FLASK_TUTOR_PYTHON or /usr/bin/python3.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import type { VerifyEvent } from '../../src/core/protocol';
import { RunResults } from '../../src/core/results';
import { runPytest, PytestRunEnd, PytestRunOptions } from '../../src/engine/pytestRun';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test/engine/fixtures');
const python = process.env.FLASK_TUTOR_PYTHON || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

const copies: string[] = [];
after(() => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function copyApp(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `engine-${name}-`));
  fs.cpSync(path.join(fixtures, name), dir, { recursive: true });
  copies.push(dir);
  return dir;
}

function options(app: string, checks: string, extra: Partial<PytestRunOptions> = {}): PytestRunOptions & { events: VerifyEvent[] } {
  const events: VerifyEvent[] = [];
  return {
    python,
    pluginDir: path.join(root, 'python'),
    checksDir: path.join(fixtures, checks),
    appDir: copyApp(app),
    onEvent: (e) => events.push(e),
    events,
    ...extra,
  };
}

/** Processes whose command line holds `marker`, other than ps/grep themselves. */
function processesWith(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(marker) && !l.includes('ps -eo'));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A full garbage collection (V8's `gc`, exposed at run time: mocha runs without --expose-gc). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/**
 * Runs `fn` with TMPDIR pointing at a fresh empty folder (os.tmpdir() reads it on every call, and
 * the Python of a run inherits it): what a run leaves in the temporary folder shows up there and
 * nowhere else. Resolves to the `flask-tutor-*` entries left in it.
 */
async function withPrivateTmpdir(fn: () => Promise<void>): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-tmpdir-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    await fn();
    return fs.readdirSync(dir).filter((name) => name.startsWith('flask-tutor-'));
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('engine: runPytest with real pytest', function () {
  this.timeout(60000);

  it('streams one verdict per check, with expected/actual for a failed comparison', async () => {
    const o = options('app-ok', 'checks-basic');
    const end = await runPytest(o).done;
    assert.strictEqual(end.reason.kind, 'completed', JSON.stringify(end));
    const results = new RunResults();
    o.events.forEach((e) => results.add(e));
    const [ok, message] = results.verdicts(['test_basic.py::test_home_ok', 'test_basic.py::test_home_message'], end.reason);
    assert.strictEqual(ok.outcome, 'passed');
    assert.strictEqual(message.outcome, 'failed');
    assert.ok(message.messages[0].expected?.includes('goodbye'), JSON.stringify(message));
    assert.ok(message.messages[0].actual?.includes('hello'), JSON.stringify(message));
    assert.deepStrictEqual(
      o.events.map((e) => e.event).filter((e, i, all) => all.indexOf(e) === i),
      ['session', 'app', 'collected', 'started', 'result', 'finished'],
    );
  });

  it('runs only the selected checks', async () => {
    const o = options('app-ok', 'checks-basic', { selection: ['test_basic.py::test_home_ok'] });
    await runPytest(o).done;
    const ran = o.events.flatMap((e) => (e.event === 'result' ? [e.nodeid] : []));
    assert.deepStrictEqual(ran.map((n) => n.split('::').pop()), ['test_home_ok']);
  });

  it('ends the whole process tree within 2 s of cancel', async () => {
    const o = options('app-spawns', 'checks-slow');
    const handle = runPytest(o);
    // Wait until the check is running, then cancel.
    for (let i = 0; i < 100 && !o.events.some((e) => e.event === 'started'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(processesWith('flask-tutor-orphan-marker').length > 0, 'the learner app child should be running');
    const cancelledAt = Date.now();
    handle.cancel();
    const end = await handle.done;
    assert.strictEqual(end.reason.kind, 'cancelled');
    assert.ok(Date.now() - cancelledAt < 2000, `took ${Date.now() - cancelledAt} ms`);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepStrictEqual(processesWith('flask-tutor-orphan-marker'), []);
  });

  it('stops a run at its timeout and says so', async () => {
    const o = options('app-ok', 'checks-slow', { runTimeoutSec: 2, checkTimeoutSec: 0 });
    const end = await runPytest(o).done;
    assert.deepStrictEqual(end.reason, { kind: 'timeout', seconds: 2 });
    assert.ok(end.durationMs < 5000);
  });

  it('leaves no process behind after a completed run whose app started a child', async () => {
    for (let i = 0; i < 3; i++) {
      const o = options('app-spawns', 'checks-basic');
      await runPytest(o).done;
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.deepStrictEqual(processesWith('flask-tutor-orphan-marker'), []);
  });

  it('reports a missing interpreter as a crash with the reason', async () => {
    const o = options('app-ok', 'checks-basic', { python: '/nonexistent/python3' });
    const end = await runPytest(o).done;
    assert.strictEqual(end.reason.kind, 'crashed');
    assert.match((end.reason as { detail: string }).detail, /could not start \/nonexistent\/python3/);
  });

  it('survives an app flooding stdout (~20 MB, invalid UTF-8): verdicts arrive, only tails are kept', async () => {
    const o = options('app-noisy', 'checks-noisy', { checkTimeoutSec: 30 });
    let outputChars = 0;
    let replaced = false;
    o.onOutput = (text) => {
      outputChars += text.length;
      if (text.includes('\uFFFD')) replaced = true;
    };
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const end = await runPytest(o).done;
    collectGarbage();
    const retained = process.memoryUsage().heapUsed - heapBefore;
    fs.rmSync(o.appDir, { recursive: true, force: true });

    assert.strictEqual(end.reason.kind, 'completed', JSON.stringify({ ...end, stderrTail: end.stderrTail.slice(-500) }));
    assert.deepStrictEqual(end.protocolErrors, []);
    const app = o.events.find((e) => e.event === 'app');
    assert.strictEqual(app?.event === 'app' && app.status, 'ok', JSON.stringify(app));
    const results = new RunResults();
    o.events.forEach((e) => results.add(e));
    const [ok, fails] = results.verdicts(['test_noisy.py::test_noisy_ok', 'test_noisy.py::test_noisy_fails'], end.reason);
    assert.strictEqual(ok.outcome, 'passed', JSON.stringify(ok.messages));
    assert.strictEqual(fails.outcome, 'failed', JSON.stringify(fails.messages));
    // The output really went through the engine (pytest prints the failing check's capture)...
    assert.ok(outputChars > 20e6, `only ${outputChars} characters of output`);
    assert.ok(replaced, 'invalid UTF-8 should arrive as U+FFFD');
    // ...but only tails are kept: the plugin cuts each field to ~64 KiB, the engine keeps 4000
    // characters of stderr and nothing of stdout.
    assert.ok(fails.output.length < 70_000 && fails.output.includes('\uFFFD\uFFFD bad \uFFFD'), fails.output.slice(-200));
    assert.ok(end.stderrTail.length <= 4000);
    assert.ok(retained < 8 * 1024 * 1024, `the heap kept ${(retained / 1024 / 1024).toFixed(1)} MB after the run`);
  });

  it('leaves no process and no temporary folder after 100 runs, 2 at a time, of an app that starts a child', async function () {
    this.timeout(120000);
    const appDir = copyApp('app-spawns'); // one learner folder for all: a run never writes to it
    const ends: PytestRunEnd[] = [];
    const passed: boolean[] = [];
    const started = Date.now();
    const left = await withPrivateTmpdir(async () => {
      let next = 0;
      const worker = async () => {
        while (next < 100) {
          next++;
          const o = options('app-ok', 'checks-trivial', { appDir });
          ends.push(await runPytest(o).done);
          passed.push(o.events.some((e) => e.event === 'result' && e.outcome === 'passed'));
        }
      };
      await Promise.all([worker(), worker()]);
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(`      100 runs in ${seconds.toFixed(1)} s`);
    fs.rmSync(appDir, { recursive: true, force: true });
    assert.strictEqual(ends.length, 100);
    assert.deepStrictEqual(ends.map((e) => e.reason.kind).filter((k) => k !== 'completed'), []);
    assert.strictEqual(passed.filter(Boolean).length, 100);
    // Checked at once: when `done` resolves, the run's processes and its folder are gone.
    assert.deepStrictEqual(processesWith('flask-tutor-orphan-marker'), []);
    assert.deepStrictEqual(left, []);
    assert.ok(seconds < 90, `100 runs took ${seconds.toFixed(1)} s`);
  });

  it('cancels cleanly right after start, before the plugin has connected', async () => {
    // A copy of the checks at a unique path: it is on pytest's command line, so `ps` finds the
    // run's Python by it.
    const checksDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-cancel-checks-'));
    fs.cpSync(path.join(fixtures, 'checks-slow'), checksDir, { recursive: true });
    const cases: { delay: number; spawned: boolean; connected: boolean }[] = [];
    const left = await withPrivateTmpdir(async () => {
      const privateTmp = os.tmpdir(); // this test's own TMPDIR, where its runs' folders go
      for (const delay of [0, 0, 5, 20, 40, 80]) {
        // Cold: the run's processes are found by their command line (a warm run's forks carry the
        // worker's; test/engine/warmWorker.test.ts cancels warm runs).
        const o = options('app-ok', 'checks-slow', { checksDir, warm: false });
        const handle = runPytest(o);
        if (delay) await sleep(delay);
        // The run's folder (copies of the checks, the supervisor) is on the command line, and it
        // lives in this test's private TMPDIR: other runs on the machine do not count.
        const spawned = processesWith(privateTmp).length > 0;
        const connected = o.events.length > 0;
        const cancelledAt = Date.now();
        handle.cancel();
        const end = await handle.done;
        cases.push({ delay, spawned, connected });
        assert.strictEqual(end.reason.kind, 'cancelled', JSON.stringify({ delay, end }));
        assert.ok(Date.now() - cancelledAt < 2000, `delay ${delay}: cancel took ${Date.now() - cancelledAt} ms`);
        assert.deepStrictEqual(processesWith(privateTmp), [], `delay ${delay}`);
      }
    });
    fs.rmSync(checksDir, { recursive: true, force: true });
    assert.deepStrictEqual(left, []);
    assert.ok(!cases[0].spawned && !cases[0].connected, JSON.stringify(cases[0]));
    // The window this test is about was hit at least once: Python started, no event yet.
    assert.ok(cases.some((c) => c.spawned && !c.connected), JSON.stringify(cases));
  });
});
