import * as assert from 'assert';
import { HintAvailability, hintAvailability, hintCounter, HintProgress } from '../../src/core/hints';

const p = (hintsUsed: number, failsSinceHint: number, passed = false): HintProgress => ({ hintsUsed, failsSinceHint, passed });

describe('hints.hintAvailability (the ladder)', () => {
  const cases: [string, number, HintProgress, HintAvailability][] = [
    ['no hints at all', 0, p(0, 5), { kind: 'none' }],
    ['hint 1 is locked before any verify', 3, p(0, 0), { kind: 'locked', next: 1, total: 3, shown: 0 }],
    ['a failed verify unlocks hint 1', 3, p(0, 1), { kind: 'available', next: 1, total: 3, shown: 0 }],
    ['after hint 1, hint 2 waits for another failed verify', 3, p(1, 0), { kind: 'locked', next: 2, total: 3, shown: 1 }],
    ['one failed verify after hint 1 unlocks hint 2', 3, p(1, 1), { kind: 'available', next: 2, total: 3, shown: 1 }],
    ['several failed verifies still unlock one hint at a time', 3, p(1, 4), { kind: 'available', next: 2, total: 3, shown: 1 }],
    ['every hint shown', 3, p(3, 2), { kind: 'all-shown', total: 3, shown: 3 }],
    ['more hints used than exist (content shrank)', 2, p(3, 0), { kind: 'all-shown', total: 2, shown: 2 }],
    ['a passed exercise opens the next hint', 3, p(1, 0, true), { kind: 'available', next: 2, total: 3, shown: 1 }],
    ['a single hint', 1, p(0, 1), { kind: 'available', next: 1, total: 1, shown: 0 }],
  ];
  for (const [name, total, progress, expected] of cases) {
    it(name, () => assert.deepStrictEqual(hintAvailability(total, progress), expected));
  }
});

describe('hints.hintCounter ("hint 2 of 3")', () => {
  const cases: [HintAvailability, { index: number; total: number } | undefined][] = [
    [{ kind: 'none' }, undefined],
    [{ kind: 'available', next: 2, total: 3, shown: 1 }, { index: 2, total: 3 }],
    [{ kind: 'locked', next: 3, total: 3, shown: 2 }, { index: 3, total: 3 }],
    [{ kind: 'all-shown', total: 3, shown: 3 }, { index: 3, total: 3 }],
  ];
  for (const [a, expected] of cases) it(a.kind, () => assert.deepStrictEqual(hintCounter(a), expected));
});
