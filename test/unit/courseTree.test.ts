import * as assert from 'assert';
import { courseTree } from '../../src/core/courseTree';
import { emptyProgress, reduceProgress } from '../../src/core/progress';

const exercises = [
  { id: 'c02-first', title: 'Listed first by the catalog', chapter: 'c02', hints: [] },
  { id: 'f1-hello', title: 'Say hello', chapter: 'f1', minutes: 10, hints: ['a', 'b', 'c'] },
  { id: 'f1-routes', title: 'Routes', chapter: 'f1', hints: [] },
  { id: 'c02-bulk', title: 'Bulk', chapter: 'c02', hints: ['a'] },
];

describe('courseTree: the Course view as data', () => {
  it('lists every Part and chapter of the syllabus; chapters without exercises are upcoming', () => {
    const tree = courseTree(exercises, emptyProgress());
    assert.deepStrictEqual(tree.map((p) => p.part), [0, 1, 2, 3, 4, 5]);
    const c01 = tree[1].children.find((c) => c.id === 'c01')!;
    assert.strictEqual(c01.upcoming, true);
    assert.deepStrictEqual(c01.children, []);
    assert.strictEqual(tree[5].total, 0);
    assert.strictEqual(tree[1].children.find((c) => c.id === 'c02')!.upcoming, false);
  });

  it('carries status, verifies, hints used and the last checks of each exercise, and counts passes per chapter and Part', () => {
    let state = emptyProgress();
    const at = '2026-12-05T10:00:00.000Z';
    state = reduceProgress(state, { type: 'started', id: 'f1-hello', at });
    state = reduceProgress(state, { type: 'verified', id: 'f1-hello', at, passed: false, failed: true, checks: { passed: 1, total: 3 }, fingerprint: 'a' });
    state = reduceProgress(state, { type: 'hintRevealed', id: 'f1-hello', at, allowed: true });
    state = reduceProgress(state, { type: 'verified', id: 'f1-routes', at, passed: true, failed: false, checks: { passed: 2, total: 2 }, fingerprint: 'b' });
    const f1 = courseTree(exercises, state)[0].children.find((c) => c.id === 'f1')!;
    const [hello, routes] = f1.children;
    assert.deepStrictEqual(
      { status: hello.status, attempts: hello.attempts, hintsUsed: hello.hintsUsed, hints: hello.hints, lastChecks: hello.lastChecks },
      { status: 'started', attempts: 1, hintsUsed: 1, hints: 3, lastChecks: { passed: 1, total: 3 } },
    );
    assert.strictEqual(routes.status, 'passed');
    assert.strictEqual(f1.passed, 1);
    const part0 = courseTree(exercises, state)[0];
    assert.deepStrictEqual([part0.passed, part0.total], [1, 2]);
    assert.strictEqual(f1.current, true, 'the chapter of the exercise touched last, not all passed');
    assert.strictEqual(courseTree(exercises, emptyProgress())[0].children[0].current, true, 'a new learner starts at the first chapter');
    const allF1 = reduceProgress(state, { type: 'verified', id: 'f1-hello', at: '2026-12-05T11:00:00.000Z', passed: true, failed: false, checks: { passed: 3, total: 3 }, fingerprint: 'c' });
    const after = courseTree(exercises, allF1);
    assert.strictEqual(after[0].children[0].current, false);
    assert.strictEqual(after[1].children.find((c) => c.id === 'c02')!.current, true, 'F1 done: on to the next chapter with exercises, in course order');
  });
});
