/**
 * Show Progress, Reset Progress, Export Progress and Import Progress. The rules (summaries,
 * the export format, validating an import, merging) are pure, in src/core/progress.ts; the
 * store (globalState + Settings Sync) is ./progressStore.ts.
 */
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { chapterDisplayName, chapterOfExerciseId, compareChapterIds, isChapterId } from '../core/chapters';
import { exerciseStatus, exportProgress as progressJson, summarize, validateImport } from '../core/progress';
import type { Exercise } from '../engine/catalog';
import type { CourseSession } from './session';
import { STATUS_ICON } from './targets';

export async function showProgress(s: CourseSession): Promise<void> {
  const state = s.progress.state;
  const counts = summarize(state, s.catalog.exercises);
  const total = counts.get('') ?? { total: 0, passed: 0, started: 0 };
  type Item = vscode.QuickPickItem & { exercise?: Exercise };
  const items: Item[] = [];
  let chapter: string | undefined;
  for (const exercise of s.catalog.exercises.slice().sort((a, b) => compareChapterIds(a.chapter, b.chapter) || a.order - b.order)) {
    if (exercise.chapter !== chapter) {
      chapter = exercise.chapter;
      const c = counts.get(chapter);
      items.push({ kind: vscode.QuickPickItemKind.Separator, label: `${chapterDisplayName(chapter)} · ${vscode.l10n.t('{0}/{1} passed', c?.passed ?? 0, c?.total ?? 0)}` });
    }
    const status = exerciseStatus(state, exercise.id);
    const r = state.exercises[exercise.id];
    const parts: string[] = [];
    if (r) parts.push(vscode.l10n.t('{0} verifies', r.attempts), vscode.l10n.t('hints {0}/{1}', r.hintsUsed, exercise.hints.length));
    if (r?.firstPassAt) parts.push(vscode.l10n.t('passed {0}', new Date(r.firstPassAt).toLocaleDateString(vscode.env.language)));
    items.push({
      label: `${STATUS_ICON[status]} ${exercise.title}`,
      description: status === 'passed' ? vscode.l10n.t('passed') : status === 'started' ? vscode.l10n.t('started') : vscode.l10n.t('not started'),
      detail: parts.join(' · ') || undefined,
      exercise,
    });
  }
  if (!items.length) {
    void s.prompts.info(vscode.l10n.t('No exercises are installed yet.'));
    return;
  }
  const picked = await s.prompts.pick(items, {
    title: vscode.l10n.t('Your progress: {0} of {1} exercises passed, {2} started', total.passed, total.total, total.started),
    placeHolder: vscode.l10n.t('Pick an exercise to open its brief'),
    matchOnDescription: true,
  });
  if (picked?.exercise) await s.commands.openBrief(picked.exercise.id);
}

/** Resets progress of a chapter or of everything (argument `"all"` or a chapter id), after confirmation. */
export async function resetProgress(s: CourseSession, arg?: unknown): Promise<boolean> {
  const state = s.progress.state;
  const chapterOf = (id: string) => s.catalog.byId.get(id)?.chapter ?? chapterOfExerciseId(id);
  let scope: string | undefined = typeof arg === 'string' && (arg === 'all' || isChapterId(arg)) ? arg : undefined;
  if (!scope) {
    const chapters = [...new Set(Object.keys(state.exercises).map(chapterOf).filter((c): c is string => !!c))].sort(compareChapterIds);
    const items = [
      { label: vscode.l10n.t('All progress'), description: vscode.l10n.t('{0} exercises', Object.keys(state.exercises).length), scope: 'all' },
      ...chapters.map((c) => ({ label: chapterDisplayName(c), description: '', scope: c })),
    ];
    const picked = await s.prompts.pick(items, { placeHolder: vscode.l10n.t('Reset the progress of…') });
    if (!picked) return false;
    scope = picked.scope;
  }
  const ids = scope === 'all' ? undefined : Object.keys(state.exercises).filter((id) => chapterOf(id) === scope);
  const what = scope === 'all' ? vscode.l10n.t('the whole course') : chapterDisplayName(scope);
  const reset = vscode.l10n.t('Reset progress');
  const exportFirst = vscode.l10n.t('Export first…');
  const choice = await s.prompts.confirm(
    vscode.l10n.t('Reset your progress in {0}?', what),
    vscode.l10n.t('Exercises become "not started", hints lock again and walkthrough ticks are cleared, on every machine you sync with. Your exercise files are not touched.'),
    reset,
    exportFirst,
  );
  if (choice === exportFirst) {
    await exportProgress(s);
    return false;
  }
  if (choice !== reset) return false;
  // The store's epoch changes: the walkthrough sync unticks the steps (here and on synced machines).
  await s.progress.dispatch({ type: 'reset', ids });
  await s.sync.apply(s.progress.state);
  s.log.info(`Progress reset: ${scope}.`);
  return true;
}

export async function exportProgress(s: CourseSession): Promise<vscode.Uri | undefined> {
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const name = `flask-tutor-progress-${new Date().toISOString().slice(0, 10)}.json`;
  const target = await s.prompts.saveDialog({
    defaultUri: vscode.Uri.joinPath(base, name),
    filters: { JSON: ['json'] },
    title: vscode.l10n.t('Export Flask Tutor progress'),
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(progressJson(s.progress.state, new Date().toISOString())));
  void s.prompts.info(vscode.l10n.t('Progress exported to {0}.', target.fsPath));
  return target;
}

export async function importProgress(s: CourseSession): Promise<boolean> {
  const picked = await s.prompts.openDialog({
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    filters: { JSON: ['json'] },
    title: vscode.l10n.t('Import Flask Tutor progress'),
  });
  const file = picked?.[0];
  if (!file) return false;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  const { state, errors } = validateImport(text);
  if (!state) {
    const shown = errors.slice(0, 5).join('\n') + (errors.length > 5 ? `\n${vscode.l10n.t('…and {0} more.', errors.length - 5)}` : '');
    await s.prompts.confirm(vscode.l10n.t('{0} cannot be imported.', path.basename(file.fsPath)), shown);
    return false;
  }
  const count = Object.keys(state.exercises).length;
  const merge = vscode.l10n.t('Merge');
  const replace = vscode.l10n.t('Replace');
  const choice = await s.prompts.confirm(
    vscode.l10n.t('Import progress of {0} exercises?', count),
    vscode.l10n.t('Merge keeps the most progress of each exercise from both. Replace discards your current progress.'),
    merge,
    replace,
  );
  if (choice !== merge && choice !== replace) return false;
  const mode = choice === merge ? 'merge' : 'replace';
  await s.progress.dispatch({ type: 'import', incoming: state, mode });
  await s.sync.apply(s.progress.state);
  s.log.info(`Imported progress of ${count} exercise(s) from ${file.fsPath} (${mode}).`);
  return true;
}
