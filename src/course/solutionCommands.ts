/**
 * Compare with Solution: after a confirmation that offers a hint first, a read-only diff of one
 * of the learner's files with the reference solution (served by ./solution.ts), the files that
 * differ only, the exercise's main files first.
 */
import { promises as fsp } from 'fs';
import * as vscode from 'vscode';
import { differingFiles, listFiles } from './files';
import type { CourseSession } from './session';
import { solutionUri } from './solution';
import { resolveTarget } from './targets';

/** After confirmation, a read-only diff: the learner's file (left) → the reference solution (right). */
export async function compareWithSolution(s: CourseSession, arg?: unknown): Promise<vscode.Uri | undefined> {
  const target = await resolveTarget(s, arg, vscode.l10n.t('Compare which exercise with its solution?'), true);
  if (!target) return undefined;
  const { exercise, folder } = target;
  const show = vscode.l10n.t('Show solution');
  const hint = vscode.l10n.t('Show a hint');
  const choice = await s.prompts.confirm(
    vscode.l10n.t('This shows the reference solution. Try the hints first?'),
    vscode.l10n.t('The solution opens next to your file, read-only. Nothing in your files changes.'),
    show,
    ...(s.hintAvailabilityOf(exercise).kind === 'available' ? [hint] : []),
  );
  if (choice === hint) {
    await s.commands.showHint(exercise.id);
    return undefined;
  }
  if (choice !== show) return undefined;
  const solutionFiles = await listFiles(exercise.solutionDir, { skipMarker: true });
  const order = (rel: string) => {
    const i = exercise.open.indexOf(rel);
    return i < 0 ? exercise.open.length : i;
  };
  const candidates = folder ? await differingFiles(exercise.solutionDir, folder.fsPath) : solutionFiles;
  if (!candidates.length) {
    void s.prompts.info(vscode.l10n.t('Your files match the reference solution of "{0}".', exercise.title));
    return undefined;
  }
  candidates.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  let rel = candidates[0];
  if (candidates.length > 1) {
    const mine = folder ? new Set(await listFiles(folder.fsPath, { skipMarker: true })) : new Set<string>();
    const picked = await s.prompts.pick(
      candidates.map((c) => ({ label: c, description: mine.has(c) ? vscode.l10n.t('differs from yours') : vscode.l10n.t('not in your folder'), rel: c })),
      { placeHolder: vscode.l10n.t('Compare which file with the reference solution?') },
    );
    if (!picked) return undefined;
    rel = picked.rel;
  }
  const solution = solutionUri(exercise.id, rel);
  const yours = folder ? vscode.Uri.joinPath(folder, ...rel.split('/')) : undefined;
  const yoursExists = yours ? await fsp.access(yours.fsPath).then(() => true, () => false) : false;
  if (yours && yoursExists) {
    // Yours on the left, the solution on the right: the diff reads "change this into that",
    // and the solution's lines are the green, added side (not the red, removed one).
    await vscode.commands.executeCommand('vscode.diff', yours, solution, vscode.l10n.t('{0}: yours → reference solution', rel), { preview: true });
  } else {
    await vscode.window.showTextDocument(solution, { preview: true });
  }
  await s.progress.dispatch({ type: 'solutionViewed', id: exercise.id, at: new Date().toISOString() });
  return solution;
}
