/**
 * Verify Exercise and what follows every verify (from this command or the Testing view): the
 * progress record, the brief's "About your last verify", and a word to the learner: the checks
 * that pass with a hint on offer, the Problems view when the app does not load, or the next
 * exercise when it passed for the first time.
 */
import * as vscode from 'vscode';
import { chapterLabel } from '../core/chapters';
import { exerciseStatus, summarize } from '../core/progress';
import type { Exercise } from '../engine/catalog';
import type { VerifyOutcome } from '../verify/controller';
import { fingerprint } from './files';
import type { CourseSession } from './session';
import { resolveTarget } from './targets';

export async function verifyExercise(s: CourseSession, arg?: unknown): Promise<boolean> {
  const target = await resolveTarget(s, arg, vscode.l10n.t('Verify which exercise?'), true);
  if (!target) return false;
  const { exercise, folder } = target;
  if (!folder) {
    const start = vscode.l10n.t('Start exercise');
    const choice = await s.prompts.info(vscode.l10n.t('"{0}" is not started yet: start it first, then verify your work.', exercise.title), start);
    if (choice === start) await s.commands.startExercise(exercise.id);
    return false;
  }
  if (target.implicit) {
    void s.prompts.info(vscode.l10n.t('Verifying "{0}", the exercise you worked on last: the active file is not part of an exercise.', exercise.title));
  }
  s.setCurrent(exercise, folder);
  s.brief.setBusy(exercise.id, true);
  let found: boolean;
  try {
    found = await s.verify.verifyFolder(folder);
  } finally {
    s.brief.setBusy(exercise.id, false);
  }
  if (!found) {
    void s.prompts.warn(vscode.l10n.t('{0} is not in the Test Explorer: is it inside the open workspace?', folder.fsPath));
    return false;
  }
  await s.verifiedDone; // the progress record of this verify
  const record = s.progress.record(exercise.id);
  if (record?.lastAppError && record.status !== 'passed') {
    // Not "0 of 6 checks pass" with a hint: the learner needs the error, once, at their line.
    const problems = vscode.l10n.t('Show problem');
    const choice = await s.prompts.info(vscode.l10n.t('"{0}": your app does not load, so no check could run. The Problems view shows where.', exercise.title), problems);
    if (choice === problems) await vscode.commands.executeCommand('workbench.actions.view.problems');
    return true;
  }
  if (record?.lastChecks && record.status !== 'passed' && record.lastVerifyAt) {
    const { passed, total } = record.lastChecks;
    const results = vscode.l10n.t('Show results');
    const hint = vscode.l10n.t('Show hint');
    const a = s.hintAvailabilityOf(exercise);
    const choice = await s.prompts.info(
      vscode.l10n.t('"{0}": {1} of {2} checks pass.', exercise.title, passed, total),
      results,
      ...(a.kind === 'available' ? [hint] : []),
    );
    if (choice === results) await vscode.commands.executeCommand('workbench.view.testing.focus');
    else if (choice === hint) await s.commands.showHint(exercise.id);
  }
  return true;
}

/** Every verify's outcome (VerifyController.onDidVerify): records it and refreshes the brief. */
export async function onVerified(s: CourseSession, outcome: VerifyOutcome): Promise<void> {
  const exercise = s.catalog.byId.get(outcome.exerciseId);
  if (!exercise) return;
  const outcomes = [...outcome.outcomes.values()];
  const wasPassed = s.progress.record(exercise.id)?.status === 'passed';
  const at = new Date().toISOString();
  // Only changed code is a new attempt (hints unlock on attempts), and an app that does not load is none.
  const code = await fingerprint(outcome.folder.fsPath).catch(() => undefined);
  await s.progress.dispatch({
    type: 'verified',
    id: exercise.id,
    at,
    passed: outcome.passed,
    failed: outcomes.some((o) => o === 'failed' || o === 'errored'),
    checks: { passed: outcomes.filter((o) => o === 'passed').length, total: outcomes.length },
    appError: outcome.appError !== undefined,
    fingerprint: code,
  });
  s.lastFailureHints.set(exercise.id, outcome.failureHints);
  s.setCurrent(exercise, outcome.folder);
  s.brief.refresh({ exercise, folder: outcome.folder });
  if (outcome.passed && !wasPassed) void celebrate(s, exercise);
}

async function celebrate(s: CourseSession, exercise: Exercise): Promise<void> {
  const state = s.progress.state;
  const counts = summarize(state, s.catalog.exercises).get(exercise.chapter);
  const index = s.catalog.exercises.indexOf(exercise);
  const next = [...s.catalog.exercises.slice(index + 1), ...s.catalog.exercises.slice(0, index)].find((e) => exerciseStatus(state, e.id) !== 'passed');
  const nextAction = next ? vscode.l10n.t('Next: {0}', next.title) : undefined;
  const chapterAction = vscode.l10n.t('Open chapter');
  const message = vscode.l10n.t('✓ "{0}" passed! {1}: {2} of {3} exercises done.', exercise.title, chapterLabel(exercise.chapter), counts?.passed ?? 0, counts?.total ?? 0);
  const choice = await s.prompts.info(message, ...(nextAction ? [nextAction] : []), chapterAction);
  if (choice && choice === nextAction && next) await s.commands.startExercise(next.id);
  else if (choice === chapterAction) await s.commands.openWalkthrough(exercise.chapter);
}
