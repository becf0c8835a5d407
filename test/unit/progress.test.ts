import * as assert from 'assert';
import {
  emptyProgress,
  ExerciseProgress,
  EXPORT_FORMAT,
  exportProgress,
  mergeRecords,
  passedContextKey,
  PROGRESS_SCHEMA,
  ProgressEvent,
  ProgressState,
  readRecord,
  readStoredProgress,
  reduceProgress,
  summarize,
  validateImport,
} from '../../src/core/progress';

const T0 = '2025-01-01T10:00:00.000Z';
const T1 = '2025-01-01T10:05:00.000Z';
const T2 = '2025-01-01T10:10:00.000Z';

const started = (over: Partial<ExerciseProgress> = {}): ExerciseProgress => ({
  status: 'started',
  startedAt: T0,
  attempts: 0,
  failedAttempts: 0,
  hintsUsed: 0,
  failsSinceHint: 0,
  ...over,
});

const run = (events: ProgressEvent[], state: ProgressState = emptyProgress()) => events.reduce(reduceProgress, state);
const verified = (passed: boolean, failed: boolean, checks = { passed: passed ? 3 : 1, total: 3 }, at = T1): ProgressEvent => ({
  type: 'verified',
  id: 'f1-first-app',
  at,
  passed,
  failed,
  checks,
});

describe('progress.reduceProgress', () => {
  const cases: { name: string; events: ProgressEvent[]; expect: ExerciseProgress | undefined; epoch?: number }[] = [
    {
      name: 'start creates a record',
      events: [{ type: 'started', id: 'f1-first-app', at: T0 }],
      expect: started(),
    },
    {
      name: 'a second start keeps the first record',
      events: [
        { type: 'started', id: 'f1-first-app', at: T0 },
        { type: 'started', id: 'f1-first-app', at: T2 },
      ],
      expect: started(),
    },
    {
      name: 'a failing verify counts an attempt and unlocks a hint',
      events: [{ type: 'started', id: 'f1-first-app', at: T0 }, verified(false, true)],
      expect: started({ attempts: 1, failedAttempts: 1, failsSinceHint: 1, lastVerifyAt: T1, lastChecks: { passed: 1, total: 3 } }),
    },
    {
      name: 'a partial verify that passes is an attempt, neither failed nor passed',
      events: [{ type: 'started', id: 'f1-first-app', at: T0 }, verified(false, false, { passed: 1, total: 1 })],
      expect: started({ attempts: 1, lastVerifyAt: T1, lastChecks: { passed: 1, total: 1 } }),
    },
    {
      name: 'a pass sets status and first pass time',
      events: [{ type: 'started', id: 'f1-first-app', at: T0 }, verified(false, true), verified(true, false, undefined, T2)],
      expect: started({ status: 'passed', attempts: 2, failedAttempts: 1, failsSinceHint: 1, firstPassAt: T2, lastVerifyAt: T2, lastChecks: { passed: 3, total: 3 } }),
    },
    {
      name: 'a later failure keeps "passed" and the first pass time',
      events: [verified(true, false, undefined, T1), verified(false, true, undefined, T2)],
      expect: started({ startedAt: T1, status: 'passed', attempts: 2, failedAttempts: 1, failsSinceHint: 1, firstPassAt: T1, lastVerifyAt: T2, lastChecks: { passed: 1, total: 3 } }),
    },
    {
      name: 'verify without a start creates the record',
      events: [verified(false, true)],
      expect: started({ startedAt: T1, attempts: 1, failedAttempts: 1, failsSinceHint: 1, lastVerifyAt: T1, lastChecks: { passed: 1, total: 3 } }),
    },
    {
      name: 'an allowed hint counts and resets failsSinceHint',
      events: [verified(false, true), verified(false, true), { type: 'hintRevealed', id: 'f1-first-app', at: T2, allowed: true }],
      expect: started({ startedAt: T1, attempts: 2, failedAttempts: 2, failsSinceHint: 0, hintsUsed: 1, lastVerifyAt: T1, lastChecks: { passed: 1, total: 3 } }),
    },
    {
      name: 'a hint the ladder does not allow changes nothing',
      events: [{ type: 'started', id: 'f1-first-app', at: T0 }, { type: 'hintRevealed', id: 'f1-first-app', at: T2, allowed: false }],
      expect: started(),
    },
    {
      name: 'viewing the solution is remembered once',
      events: [
        { type: 'started', id: 'f1-first-app', at: T0 },
        { type: 'solutionViewed', id: 'f1-first-app', at: T1 },
        { type: 'solutionViewed', id: 'f1-first-app', at: T2 },
      ],
      expect: started({ solutionViewedAt: T1 }),
    },
    {
      name: 'reset of the exercise removes it and bumps the epoch',
      events: [{ type: 'started', id: 'f1-first-app', at: T0 }, { type: 'reset', ids: ['f1-first-app'] }],
      expect: undefined,
      epoch: 1,
    },
    {
      name: 'reset of nothing changes nothing',
      events: [{ type: 'started', id: 'f1-first-app', at: T0 }, { type: 'reset', ids: ['f2-cart'] }],
      expect: started(),
      epoch: 0,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const state = run(c.events);
      assert.deepStrictEqual(state.exercises['f1-first-app'], c.expect);
      if (c.epoch !== undefined) assert.strictEqual(state.epoch, c.epoch);
    });
  }

  it('returns the same object when nothing changes', () => {
    const state = run([{ type: 'started', id: 'f1-first-app', at: T0 }]);
    assert.strictEqual(reduceProgress(state, { type: 'started', id: 'f1-first-app', at: T1 }), state);
    assert.strictEqual(reduceProgress(state, { type: 'hintRevealed', id: 'f1-first-app', at: T1, allowed: false }), state);
  });

  it('never mutates its input', () => {
    const state = run([{ type: 'started', id: 'f1-first-app', at: T0 }]);
    const frozen = JSON.stringify(state);
    reduceProgress(state, verified(true, false));
    reduceProgress(state, { type: 'reset' });
    assert.strictEqual(JSON.stringify(state), frozen);
  });

  it('reset of all removes every record', () => {
    const state = run([
      { type: 'started', id: 'f1-first-app', at: T0 },
      { type: 'started', id: 'f2-cart', at: T0 },
      { type: 'reset' },
    ]);
    assert.deepStrictEqual(state.exercises, {});
    assert.strictEqual(state.epoch, 1);
  });

  it('import replace swaps the records and bumps the epoch; merge keeps the most progress', () => {
    const mine = run([{ type: 'started', id: 'f1-first-app', at: T1 }, { type: 'started', id: 'f2-cart', at: T0 }]);
    const incoming: ProgressState = {
      schema: 1,
      epoch: 0,
      exercises: { 'f1-first-app': started({ status: 'passed', startedAt: T0, attempts: 4, firstPassAt: T2, lastVerifyAt: T2 }) },
    };
    const replaced = reduceProgress(mine, { type: 'import', incoming, mode: 'replace' });
    assert.deepStrictEqual(Object.keys(replaced.exercises), ['f1-first-app']);
    assert.strictEqual(replaced.epoch, mine.epoch + 1);
    const merged = reduceProgress(mine, { type: 'import', incoming, mode: 'merge' });
    assert.deepStrictEqual(Object.keys(merged.exercises).sort(), ['f1-first-app', 'f2-cart']);
    assert.strictEqual(merged.exercises['f1-first-app'].status, 'passed');
    assert.strictEqual(merged.exercises['f1-first-app'].startedAt, T0);
    assert.strictEqual(merged.epoch, mine.epoch);
  });
});

describe('progress: what counts as an attempt', () => {
  const withCode = (event: ProgressEvent, extra: { fingerprint?: string; appError?: boolean }) => ({ ...event, ...extra }) as ProgressEvent;
  it('re-verifying unchanged files is no new attempt and unlocks nothing', () => {
    const state = run([
      withCode(verified(false, true), { fingerprint: 'a'.repeat(64) }),
      withCode(verified(false, true), { fingerprint: 'a'.repeat(64) }),
      withCode(verified(false, true), { fingerprint: 'a'.repeat(64) }),
    ]);
    const r = state.exercises['f1-first-app'];
    assert.deepStrictEqual([r.attempts, r.failedAttempts, r.failsSinceHint], [1, 1, 1]);
  });
  it('changed files count again', () => {
    const state = run([withCode(verified(false, true), { fingerprint: 'a'.repeat(64) }), withCode(verified(false, true), { fingerprint: 'b'.repeat(64) })]);
    const r = state.exercises['f1-first-app'];
    assert.deepStrictEqual([r.attempts, r.failedAttempts, r.failsSinceHint, r.lastFingerprint], [2, 2, 2, 'b'.repeat(64)]);
  });
  it('an app that does not load is a verify, not a failed attempt at the task', () => {
    const state = run([withCode(verified(false, true, { passed: 0, total: 3 }), { fingerprint: 'c'.repeat(64), appError: true })]);
    const r = state.exercises['f1-first-app'];
    assert.deepStrictEqual([r.attempts, r.failedAttempts, r.failsSinceHint, r.lastAppError], [1, 0, 0, true]);
    const fixed = run([withCode(verified(false, true), { fingerprint: 'd'.repeat(64) })], state).exercises['f1-first-app'];
    assert.deepStrictEqual([fixed.failedAttempts, fixed.lastAppError], [1, undefined]);
  });
  it('verifies without a fingerprint (older callers) still count', () => {
    const r = run([verified(false, true), verified(false, true)]).exercises['f1-first-app'];
    assert.strictEqual(r.attempts, 2);
  });
});

describe('progress.mergeRecords', () => {
  it('keeps the earliest times, the most attempts and hints, and the newer last result', () => {
    const a = started({ startedAt: T1, attempts: 2, hintsUsed: 2, failsSinceHint: 3, lastVerifyAt: T1, lastChecks: { passed: 1, total: 3 } });
    const b = started({ status: 'passed', startedAt: T0, attempts: 5, hintsUsed: 1, failsSinceHint: 0, firstPassAt: T2, lastVerifyAt: T2, lastChecks: { passed: 3, total: 3 } });
    assert.deepStrictEqual(mergeRecords(a, b), {
      status: 'passed',
      startedAt: T0,
      attempts: 5,
      failedAttempts: 0,
      hintsUsed: 2,
      failsSinceHint: 0,
      firstPassAt: T2,
      lastVerifyAt: T2,
      lastChecks: { passed: 3, total: 3 },
    });
  });
});

describe('progress.readRecord', () => {
  const cases: [string, unknown, string | undefined][] = [
    ['a valid record', started(), undefined],
    ['not an object', 'x', 'not an object'],
    ['a bad status', { ...started(), status: 'done' }, '"status"'],
    ['a bad time', { ...started(), startedAt: 'yesterday' }, '"startedAt"'],
    ['a negative count', { ...started(), attempts: -1 }, '"attempts"'],
    ['a fractional count', { ...started(), hintsUsed: 1.5 }, '"hintsUsed"'],
    ['passed without a first pass time', { ...started(), status: 'passed' }, '"firstPassAt"'],
    ['lastChecks with more passed than total', { ...started(), lastChecks: { passed: 4, total: 3 } }, '"lastChecks"'],
  ];
  for (const [name, raw, problem] of cases) {
    it(name, () => {
      const r = readRecord(raw);
      if (problem === undefined) assert.deepStrictEqual(r, { record: raw, problems: [] });
      else assert.ok(r.problems.some((p) => p.includes(problem)), r.problems.join('; '));
    });
  }

  it('drops unknown fields', () => {
    assert.deepStrictEqual(readRecord({ ...started(), extra: 1 }).record, started());
  });
});

describe('progress.readStoredProgress', () => {
  it('reads nothing as empty progress', () => {
    assert.deepStrictEqual(readStoredProgress(undefined), { state: emptyProgress(), newer: false, problems: [] });
  });

  it('drops a damaged record and keeps the rest', () => {
    const r = readStoredProgress({ schema: 1, epoch: 3, exercises: { 'f1-first-app': started(), 'f2-cart': { status: 'nope' } } });
    assert.deepStrictEqual(Object.keys(r.state.exercises), ['f1-first-app']);
    assert.strictEqual(r.state.epoch, 3);
    assert.strictEqual(r.problems.length, 1);
    assert.match(r.problems[0], /^f2-cart: /);
  });

  it('flags a state written by a newer schema', () => {
    const r = readStoredProgress({ schema: PROGRESS_SCHEMA + 1, epoch: 0, exercises: { 'f1-first-app': started() } });
    assert.strictEqual(r.newer, true);
    assert.ok(r.state.exercises['f1-first-app']);
  });

  it('keeps records of exercises the catalog no longer has', () => {
    const r = readStoredProgress({ schema: 1, epoch: 0, exercises: { 'c99-gone': started() } });
    assert.ok(r.state.exercises['c99-gone']);
  });
});

describe('progress export and import', () => {
  it('round-trips through export and validateImport', () => {
    const state = run([{ type: 'started', id: 'f2-cart', at: T0 }, verified(true, false)]);
    const text = exportProgress(state, T2);
    const parsed = JSON.parse(text);
    assert.strictEqual(parsed.format, EXPORT_FORMAT);
    assert.strictEqual(parsed.schema, PROGRESS_SCHEMA);
    assert.deepStrictEqual(Object.keys(parsed.exercises), ['f1-first-app', 'f2-cart']);
    const { state: imported, errors } = validateImport(text);
    assert.deepStrictEqual(errors, []);
    assert.deepStrictEqual(imported?.exercises, state.exercises);
  });

  const file = (over: Record<string, unknown>) => JSON.stringify({ format: EXPORT_FORMAT, schema: 1, exportedAt: T0, exercises: {}, ...over });
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{', /not valid JSON/],
    ['an array', '[]', /JSON object/],
    ['another format', file({ format: 'other' }), /not a Flask Backend Tutor progress file/],
    ['a newer schema', file({ schema: PROGRESS_SCHEMA + 1 }), /newer Flask Backend Tutor/],
    ['a bad schema', file({ schema: 'one' }), /"schema"/],
    ['exercises not an object', file({ exercises: [] }), /"exercises"/],
    ['a bad id', file({ exercises: { 'Not An Id': started() } }), /not an exercise id/],
    ['a bad record', file({ exercises: { 'f1-first-app': { status: 'x' } } }), /^f1-first-app: /],
  ];
  for (const [name, text, error] of cases) {
    it(`rejects ${name}`, () => {
      const r = validateImport(text);
      assert.strictEqual(r.state, undefined);
      assert.ok(r.errors.some((e) => error.test(e)), r.errors.join('; '));
    });
  }
});

describe('progress.summarize', () => {
  it('counts per chapter and for the course', () => {
    const state = run([{ type: 'started', id: 'f1-routes', at: T0 }, verified(true, false)]);
    const exercises = [
      { id: 'f1-first-app', chapter: 'f1' },
      { id: 'f1-routes', chapter: 'f1' },
      { id: 'f2-cart', chapter: 'f2' },
    ];
    const counts = summarize(state, exercises);
    assert.deepStrictEqual(counts.get('f1'), { total: 2, started: 1, passed: 1 });
    assert.deepStrictEqual(counts.get('f2'), { total: 1, started: 0, passed: 0 });
    assert.deepStrictEqual(counts.get(''), { total: 3, started: 1, passed: 1 });
  });
});

/**
 * The characters VS Code's when-clause scanner keeps inside one key token
 * (src/vs/platform/contextkey/common/scanner.ts, `_isStringChar`), ASCII part.
 */
function scannerKeepsInKey(ch: string): boolean {
  return /[A-Za-z0-9]/.test(ch) || '_-./\\:*?%+[]^,#@;"'.includes(ch);
}

describe('progress.passedContextKey', () => {
  const cases: [string, string][] = [
    ['f1-first-app', 'flaskTutor.passed.f1-first-app'],
    ['c01-app-factory', 'flaskTutor.passed.c01-app-factory'],
    ['p0-users', 'flaskTutor.passed.p0-users'],
    ['weird id!', 'flaskTutor.passed.weird_20_id_21_'],
    ['a_b', 'flaskTutor.passed.a_5f_b'],
  ];
  for (const [id, key] of cases) {
    it(`${id} → ${key}`, () => {
      assert.strictEqual(passedContextKey(id), key);
      assert.ok([...key].every(scannerKeepsInKey), `${key} would be split by the when-clause scanner`);
      assert.ok(!['in', 'not', 'true', 'false'].includes(key));
    });
  }

  it('is one-to-one', () => {
    const ids = ['a-b', 'a_b', 'a_2d_b', 'a b', 'a.b'];
    assert.strictEqual(new Set(ids.map(passedContextKey)).size, ids.length);
  });
});
