/**
 * The hint ladder. An exercise has a few hints (the manifest's `hints`, usually three: the
 * concept, where to look, a partial snippet). They are revealed one at a time:
 *
 * - a hint unlocks after a verify that did not pass, counted since the previous hint was
 *   revealed (for the first hint: since the exercise was started), so the learner tries first;
 * - once the exercise has passed, every hint is open (to compare approaches);
 * - revealed hints stay revealed.
 *
 * Pure: the progress store keeps `hintsUsed` and `failsSinceHint`, the adapters ask here.
 */
export interface HintProgress {
  /** Hints revealed so far (0..total). */
  hintsUsed: number;
  /** Verifies that did not pass since the last hint was revealed (or since the start). */
  failsSinceHint: number;
  passed: boolean;
}

export type HintAvailability =
  /** The exercise has no hints. */
  | { kind: 'none' }
  /** Hint `next` (1-based) of `total` can be revealed now. */
  | { kind: 'available'; next: number; total: number; shown: number }
  /** Hint `next` is locked until a verify that does not pass. */
  | { kind: 'locked'; next: number; total: number; shown: number }
  /** Every hint has been revealed. */
  | { kind: 'all-shown'; total: number; shown: number };

/** Failed verifies needed (since the previous hint) to unlock the next one. */
export const FAILS_PER_HINT = 1;

export function hintAvailability(total: number, p: HintProgress): HintAvailability {
  if (total <= 0) return { kind: 'none' };
  const shown = Math.max(0, Math.min(total, Math.floor(p.hintsUsed)));
  if (shown >= total) return { kind: 'all-shown', total, shown };
  const next = shown + 1;
  if (p.passed || p.failsSinceHint >= FAILS_PER_HINT) return { kind: 'available', next, total, shown };
  return { kind: 'locked', next, total, shown };
}

/** `hint 2 of 3` style label of the hint a button would reveal, or of the last one. */
export function hintCounter(a: HintAvailability): { index: number; total: number } | undefined {
  switch (a.kind) {
    case 'none':
      return undefined;
    case 'available':
    case 'locked':
      return { index: a.next, total: a.total };
    case 'all-shown':
      return { index: a.total, total: a.total };
  }
}
