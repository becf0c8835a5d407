import * as assert from 'assert';
import { checkKey, combineOutcomes, failureHints, RunResults } from '../../src/core/results';
import type { ResultEvent } from '../../src/core/protocol';

const result = (r: Partial<ResultEvent> & { nodeid: string; outcome: ResultEvent['outcome'] }): ResultEvent => ({
  v: 1,
  event: 'result',
  duration: 0.01,
  ...r,
});

describe('results.checkKey', () => {
  const cases: [string, string][] = [
    ['test_api.py::test_list', 'test_api.py::test_list'],
    ['checks/test_api.py::test_list[case-1]', 'test_api.py::test_list'],
    ['C:\\x\\checks\\test_api.py::TestApi::test_y[a::b]', 'test_api.py::TestApi::test_y'],
  ];
  for (const [nodeid, key] of cases) it(`${nodeid} → ${key}`, () => assert.strictEqual(checkKey(nodeid), key));
});

describe('results.combineOutcomes', () => {
  const cases: [ResultEvent['outcome'][], ResultEvent['outcome']][] = [
    [['passed', 'passed'], 'passed'],
    [['passed', 'skipped'], 'passed'],
    [['skipped'], 'skipped'],
    [['passed', 'failed'], 'failed'],
    [['failed', 'errored', 'passed'], 'errored'],
  ];
  for (const [outcomes, expected] of cases) it(`${outcomes.join('+')} → ${expected}`, () => assert.strictEqual(combineOutcomes(outcomes), expected));
});

describe('results.RunResults', () => {
  it('maps a failure with expected/actual to a diff message located in the learner code', () => {
    const r = new RunResults();
    r.add(
      result({
        nodeid: 'test_app.py::test_home',
        outcome: 'failed',
        duration: 0.25,
        message: 'GET / answered 404 NOT FOUND; expected 200 OK',
        expected: '200 OK',
        actual: '404 NOT FOUND',
        location: { file: '/ws/app.py', line: 5 },
        checkLocation: { file: '/ext/checks/test_app.py', line: 9 },
        requests: [{ method: 'GET', path: '/', status: 404, endpoint: null }],
        output: 'hello\n',
      }),
    );
    const v = r.verdict('test_app.py::test_home');
    assert.ok(v);
    assert.strictEqual(v.outcome, 'failed');
    assert.strictEqual(v.durationMs, 250);
    assert.deepStrictEqual(v.messages, [
      { text: 'GET / answered 404 NOT FOUND; expected 200 OK', expected: '200 OK', actual: '404 NOT FOUND', location: { file: '/ws/app.py', line: 5 } },
    ]);
    assert.match(v.output, /GET\s+\/\s+→ 404/);
    assert.match(v.output, /Output:\nhello/);
  });

  it('falls back to the check location and the traceback\'s last line', () => {
    const r = new RunResults();
    r.add(result({ nodeid: 't.py::test_a', outcome: 'failed', traceback: 'Traceback...\nAssertionError: boom', checkLocation: { file: '/c/t.py', line: 3 } }));
    assert.deepStrictEqual(r.verdict('t.py::test_a')?.messages, [{ text: 'AssertionError: boom', location: { file: '/c/t.py', line: 3 } }]);
  });

  it('folds parametrized cases into one check, worst outcome first, messages labelled', () => {
    const r = new RunResults();
    r.add(result({ nodeid: 't.py::test_p[a]', outcome: 'passed', duration: 0.1 }));
    r.add(result({ nodeid: 't.py::test_p[b]', outcome: 'failed', duration: 0.2, message: 'bad b' }));
    const v = r.verdict('t.py::test_p');
    assert.strictEqual(v?.outcome, 'failed');
    assert.strictEqual(v?.durationMs, 300);
    assert.deepStrictEqual(v?.messages.map((m) => m.text), ['[b] bad b']);
  });

  it('gives every check without a result the app error (never a stale pass)', () => {
    const r = new RunResults();
    r.add({ v: 1, event: 'app', status: 'error', code: 'syntax-error', message: 'SyntaxError in app.py line 3', location: { file: '/ws/app.py', line: 3 } });
    const vs = r.verdicts(['t.py::test_a', 't.py::test_b'], { kind: 'completed' });
    assert.deepStrictEqual(vs.map((v) => [v.outcome, v.messages[0].text, v.messages[0].location?.line]), [
      ['errored', 'SyntaxError in app.py line 3', 3],
      ['errored', 'SyntaxError in app.py line 3', 3],
    ]);
  });

  const missing: [Parameters<RunResults['verdicts']>[1], string, RegExp][] = [
    [{ kind: 'cancelled' }, 'skipped', /cancelled/],
    [{ kind: 'timeout', seconds: 60 }, 'errored', /longer than 60 s/],
    [{ kind: 'crashed', detail: 'exit code 139' }, 'errored', /exit code 139/],
    [{ kind: 'completed' }, 'errored', /not run/],
  ];
  for (const [reason, outcome, text] of missing) {
    it(`a check without a result after ${reason.kind} is ${outcome}`, () => {
      const v = new RunResults().verdicts(['t.py::test_a'], reason)[0];
      assert.strictEqual(v.outcome, outcome);
      assert.match(v.messages[0].text, text);
    });
  }
});

describe('results: a run that ended while a check was running', () => {
  const started = (nodeid: string) => ({ v: 2, event: 'started' as const, nodeid });
  const site = { location: { file: '/ex/app.py', line: 7 }, where: 'app.py, line 7 (in spin)' };

  it('a timeout blames the running check at its line; checks after it did not run because of it', () => {
    const r = new RunResults();
    r.add(started('checks/t.py::test_a'));
    r.add(result({ nodeid: 'checks/t.py::test_a', outcome: 'passed' }));
    r.add(started('checks/t.py::test_b'));
    const [a, b, c] = r.verdicts(['t.py::test_a', 't.py::test_b', 't.py::test_c'], { kind: 'timeout', seconds: 9, site });
    assert.strictEqual(a.outcome, 'passed');
    assert.strictEqual(b.outcome, 'errored');
    assert.match(b.messages[0].text, /still running when the run reached its 9 s limit.*Python was running app\.py, line 7 \(in spin\)/);
    assert.deepStrictEqual(b.messages[0].location, site.location);
    assert.strictEqual(c.outcome, 'errored');
    assert.strictEqual(c.messages[0].text, 'Not run: the run was stopped because "test_b" hung (see that check).');
  });

  it('a parametrized check whose later case hung is errored, its passed cases do not hide the hang', () => {
    const r = new RunResults();
    r.add(started('t.py::test_p[1]'));
    r.add(result({ nodeid: 't.py::test_p[1]', outcome: 'passed' }));
    r.add(started('t.py::test_p[2]'));
    const [p] = r.verdicts(['t.py::test_p'], { kind: 'timeout', seconds: 9 });
    assert.strictEqual(p.outcome, 'errored');
    assert.match(p.messages[0].text, /still running/);
  });

  it('a crash while a check ran: that check carries the reason, the rest name it', () => {
    const r = new RunResults();
    r.add(started('t.py::test_a'));
    const [a, b] = r.verdicts(['t.py::test_a', 't.py::test_b'], { kind: 'crashed', detail: 'Python ended (exit code 0) before the run finished.' });
    assert.match(a.messages[0].text, /^Python stopped while this check was running: Python ended/);
    assert.match(b.messages[0].text, /^Not run: Python stopped while "test_a" was running/);
  });

  it('a cancelled run keeps the plain "cancelled" message, even for the running check', () => {
    const r = new RunResults();
    r.add(started('t.py::test_a'));
    assert.match(r.verdicts(['t.py::test_a'], { kind: 'cancelled' })[0].messages[0].text, /cancelled/);
  });

  it('a timeout before any check started (the app hung while loading) names the line on every check', () => {
    const [a] = new RunResults().verdicts(['t.py::test_a'], { kind: 'timeout', seconds: 2, site });
    assert.match(a.messages[0].text, /^The run took longer than 2 s and was stopped\. Python was running app\.py, line 7 \(in spin\)\./);
    assert.deepStrictEqual(a.messages[0].location, site.location);
  });
});

describe('results: the check author\'s hint for a failure', () => {
  it('ends the message with "Hint:" and keeps it apart; failureHints lists each once, failed checks only', () => {
    const r = new RunResults();
    r.add(result({ nodeid: 't.py::test_a', outcome: 'failed', message: 'GET / answered 500.', hint: 'Return a dict from the view.' }));
    r.add(result({ nodeid: 't.py::test_b', outcome: 'failed', message: 'Wrong title.', hint: 'Return a dict from the view.' }));
    r.add(result({ nodeid: 't.py::test_c', outcome: 'errored', message: 'The check itself failed.', hint: 'not for check bugs' }));
    r.add(result({ nodeid: 't.py::test_d', outcome: 'passed', hint: 'never' }));
    const vs = r.verdicts(['t.py::test_a', 't.py::test_b', 't.py::test_c', 't.py::test_d'], { kind: 'completed' });
    assert.strictEqual(vs[0].messages[0].text, 'GET / answered 500.\nHint: Return a dict from the view.');
    assert.strictEqual(vs[0].messages[0].hint, 'Return a dict from the view.');
    assert.deepStrictEqual(failureHints(vs), ['Return a dict from the view.']);
  });
});
