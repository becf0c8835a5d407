/**
 * Show Hint: the hint ladder (src/core/hints.ts) decides; the brief shows the hint. A locked hint
 * says what unlocks it and offers Verify.
 */
import * as vscode from 'vscode';
import type { HintAvailability } from '../core/hints';
import type { CourseSession } from './session';
import { resolveTarget } from './targets';

/** Reveals the next hint if the ladder allows it; resolves to what was available. */
export async function showHint(s: CourseSession, arg?: unknown): Promise<HintAvailability | undefined> {
  const target = await resolveTarget(s, arg, vscode.l10n.t('Show a hint for which exercise?'), true);
  if (!target) return undefined;
  const { exercise } = target;
  const a = s.hintAvailabilityOf(exercise);
  switch (a.kind) {
    case 'none':
      void s.prompts.info(vscode.l10n.t('"{0}" has no hints.', exercise.title));
      break;
    case 'available':
      await s.progress.dispatch({ type: 'hintRevealed', id: exercise.id, at: new Date().toISOString(), allowed: true });
      s.brief.show(target, { focusHint: a.next, column: vscode.ViewColumn.Beside, preserveFocus: false });
      break;
    case 'locked': {
      s.brief.show(target, { focusHint: a.shown || undefined, column: vscode.ViewColumn.Beside, preserveFocus: true });
      const verify = vscode.l10n.t('Verify now');
      const choice = await s.prompts.info(vscode.l10n.t('Hint {0} of {1} unlocks after a verify that does not pass: try a change, then verify.', a.next, a.total), verify);
      if (choice === verify) await s.commands.verifyExercise(exercise.id);
      break;
    }
    case 'all-shown':
      s.brief.show(target, { focusHint: a.total, column: vscode.ViewColumn.Beside, preserveFocus: false });
      break;
  }
  return a;
}
