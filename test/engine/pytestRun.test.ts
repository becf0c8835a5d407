/**
 * The run engine against real pytest, real Flask and our real plugin (no VS Code): verdicts,
 * cancel, timeout, missing Python, and no process left behind. Python: FLASK_TUTOR_PYTHON or
 * /usr/bin/python3.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { VerifyEvent } from '../../src/core/protocol';
import { RunResults } from '../../src/core/results';
import { runPytest, PytestRunOptions } from '../../src/engine/pytestRun';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test/engine/fixtures');
const python = process.env.FLASK_TUTOR_PYTHON || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

function copyApp(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `engine-${name}-`));
  fs.cpSync(path.join(fixtures, name), dir, { recursive: true });
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
});
