/**
 * Which exercise a command is about: its argument (an id, a Uri, a TestItem), else the active
 * editor's, else the brief's or the last one worked on, else the learner picks one.
 */
import * as vscode from 'vscode';
import { chapterDisplayName, compareChapterIds } from '../core/chapters';
import { exerciseStatus, summarize } from '../core/progress';
import type { Exercise } from '../engine/catalog';
import { exerciseFolderOf, findExerciseFolders } from './folders';
import type { CourseSession, Target } from './session';

export const STATUS_ICON = { passed: '$(pass-filled)', started: '$(record)', 'not-started': '$(circle-large-outline)' } as const;

/** The exercise a command is about: its argument, else the active editor's, else the current one, else ask. */
export async function resolveTarget(s: CourseSession, arg: unknown, placeHolder: string, startedOnly: boolean): Promise<Target | undefined> {
  let exercise: Exercise | undefined;
  let folder: vscode.Uri | undefined;
  const fromUri = (uri: vscode.Uri) => {
    const found = exerciseFolderOf(uri);
    if (found) {
      exercise = s.catalog.byId.get(found.exerciseId);
      folder = found.folder;
    }
  };
  if (typeof arg === 'string') {
    exercise = s.catalog.byId.get(arg);
    if (!exercise) {
      void s.prompts.warn(vscode.l10n.t('There is no exercise "{0}". Is Flask Backend Tutor up to date?', arg));
      return undefined;
    }
  } else if (arg instanceof vscode.Uri) {
    fromUri(arg);
  } else if (arg && typeof arg === 'object' && (arg as { uri?: unknown }).uri instanceof vscode.Uri) {
    fromUri((arg as { uri: vscode.Uri }).uri); // a TestItem
  }
  if (!exercise) {
    const editor = vscode.window.activeTextEditor;
    if (editor) fromUri(editor.document.uri);
  }
  // The active file belongs to no exercise: the brief's or the last exercise, said aloud (verify).
  const implicit = !exercise && !!vscode.window.activeTextEditor && !!((s.brief.visible && s.brief.current) || s.current);
  if (!exercise && s.brief.visible && s.brief.current) ({ exercise, folder } = s.brief.current);
  if (!exercise && s.current) ({ exercise, folder } = s.current);
  if (!exercise) {
    exercise = await pickExercise(s, placeHolder, startedOnly);
    if (!exercise) return undefined;
  }
  folder ??= (await findExerciseFolders(exercise.id, s.verify))[0];
  return { exercise, folder, implicit };
}

/** Like resolveTarget, for commands that need the learner's folder: says so when the exercise is not started. */
export async function startedTarget(s: CourseSession, arg: unknown, placeHolder: string): Promise<Required<Target> | undefined> {
  const target = await resolveTarget(s, arg, placeHolder, true);
  if (!target) return undefined;
  if (!target.folder) {
    void s.prompts.info(vscode.l10n.t('"{0}" is not started yet.', target.exercise.title));
    return undefined;
  }
  return target as Required<Target>;
}

/** A quick pick of the exercises by chapter with their status (the started ones only, if any and asked). */
export async function pickExercise(s: CourseSession, placeHolder: string, startedOnly: boolean): Promise<Exercise | undefined> {
  if (!s.catalog.exercises.length) {
    void s.prompts.info(vscode.l10n.t('No exercises are installed yet.'));
    return undefined;
  }
  const state = s.progress.state;
  const counts = summarize(state, s.catalog.exercises);
  type Item = vscode.QuickPickItem & { exercise?: Exercise };
  const items: Item[] = [];
  let chapter: string | undefined;
  const candidates = startedOnly ? s.catalog.exercises.filter((e) => exerciseStatus(state, e.id) !== 'not-started') : s.catalog.exercises;
  for (const exercise of (candidates.length ? candidates : s.catalog.exercises).slice().sort((a, b) => compareChapterIds(a.chapter, b.chapter) || a.order - b.order)) {
    if (exercise.chapter !== chapter) {
      chapter = exercise.chapter;
      const c = counts.get(chapter);
      items.push({
        kind: vscode.QuickPickItemKind.Separator,
        label: `${chapterDisplayName(chapter)} · ${vscode.l10n.t('{0}/{1} passed', c?.passed ?? 0, c?.total ?? 0)}`,
      });
    }
    const status = exerciseStatus(state, exercise.id);
    const record = state.exercises[exercise.id];
    items.push({
      label: `${STATUS_ICON[status]} ${exercise.title}`,
      description: status === 'passed' ? vscode.l10n.t('passed') : status === 'started' ? vscode.l10n.t('started') : vscode.l10n.t('not started'),
      detail: `${exercise.summary} · ${vscode.l10n.t('about {0} min', exercise.minutes)}${record ? ` · ${vscode.l10n.t('{0} verifies', record.attempts)}` : ''}`,
      exercise,
    });
  }
  const picked = await s.prompts.pick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked?.exercise;
}
