/**
 * Start Exercise: copies the starter into a new folder of the workspace (never overwriting), or
 * reopens the learner's folder; with no folder open, asks for one and finishes after the window
 * reloads. Opening an exercise shows its files and, beside them, the brief.
 */
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { MARKER_FILE, markerText } from '../core/manifest';
import type { Exercise } from '../engine/catalog';
import { copyNoOverwrite, writeNew } from './files';
import { defaultExerciseFolder, findExerciseFolders, markerIn } from './folders';
import { checkPythonQuietly, warmUpQuietly } from './pythonCommands';
import type { CourseSession } from './session';
import { pickExercise } from './targets';

const PENDING_START_KEY = 'flaskTutor.pendingStart';
const PENDING_MAX_AGE_MS = 15 * 60 * 1000;

/** Starts (or reopens) an exercise; resolves to its folder. */
export async function startExercise(s: CourseSession, arg?: unknown): Promise<vscode.Uri | undefined> {
  const exercise = typeof arg === 'string' ? s.catalog.byId.get(arg) : await pickExercise(s, vscode.l10n.t('Start which exercise?'), false);
  if (!exercise) {
    if (typeof arg === 'string') void s.prompts.warn(vscode.l10n.t('There is no exercise "{0}". Is Flask Backend Tutor up to date?', arg));
    return undefined;
  }
  const existing = (await findExerciseFolders(exercise.id, s.verify))[0];
  if (existing) {
    await s.progress.dispatch({ type: 'started', id: exercise.id, at: new Date().toISOString() });
    await openExercise(s, exercise, existing);
    void warmUpQuietly(s, existing);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Reopened your folder for "{0}".', exercise.title), 5000);
    return existing;
  }
  const workspaceFolder = await s.prompts.workspaceFolder(vscode.l10n.t('Create the exercise folder in which workspace folder?'));
  if (!workspaceFolder) {
    if (vscode.workspace.workspaceFolders?.length) return undefined; // the learner cancelled the pick
    return startWithoutWorkspace(s, exercise);
  }
  let folder = defaultExerciseFolder(workspaceFolder.uri, exercise.id);
  // A folder of that name that holds another exercise stays as it is: use a sibling.
  for (let n = 2; markerIn(folder.fsPath) && markerIn(folder.fsPath) !== exercise.id; n++) {
    folder = vscode.Uri.file(`${defaultExerciseFolder(workspaceFolder.uri, exercise.id).fsPath}-${n}`);
  }
  await createExerciseFolder(s, exercise, folder);
  await s.progress.dispatch({ type: 'started', id: exercise.id, at: new Date().toISOString() });
  await openExercise(s, exercise, folder);
  void s.verify.discover();
  void checkPythonQuietly(s, folder);
  return folder;
}

async function createExerciseFolder(s: CourseSession, exercise: Exercise, folder: vscode.Uri): Promise<void> {
  try {
    await fsp.access(exercise.starterDir);
  } catch {
    throw new Error(`The exercise ${exercise.id} has no starter folder (${exercise.starterDir}).`);
  }
  const { copied, kept } = await copyNoOverwrite(exercise.starterDir, folder.fsPath);
  await writeNew(path.join(folder.fsPath, MARKER_FILE), markerText(exercise.id));
  s.log.info(`Started ${exercise.id} in ${folder.fsPath}: copied ${copied.length} file(s)${kept.length ? `, kept ${kept.length} existing file(s): ${kept.join(', ')}` : ''}.`);
  if (kept.length) {
    void s.prompts.info(vscode.l10n.t('Your existing files were kept as they are (nothing is overwritten): {0}', kept.join(', ')));
  }
}

/** No folder open: ask for one, create the exercise there, open it (the window reloads) and finish after the reload. */
async function startWithoutWorkspace(s: CourseSession, exercise: Exercise): Promise<vscode.Uri | undefined> {
  const picked = await s.prompts.openDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Use this folder'),
    title: vscode.l10n.t('Choose a folder for your Flask exercises'),
    defaultUri: vscode.Uri.file(os.homedir()),
  });
  const root = picked?.[0];
  if (!root) return undefined;
  const folder = defaultExerciseFolder(root, exercise.id);
  if (markerIn(folder.fsPath) !== exercise.id) await createExerciseFolder(s, exercise, folder);
  await s.progress.dispatch({ type: 'started', id: exercise.id, at: new Date().toISOString() });
  await s.context.globalState.update(PENDING_START_KEY, { id: exercise.id, folder: folder.toString(), at: Date.now() });
  await vscode.commands.executeCommand('vscode.openFolder', root);
  return folder;
}

/** After the reload that startWithoutWorkspace asked for: opens the exercise in the new window. */
export async function resumePendingStart(s: CourseSession): Promise<void> {
  const pending = s.context.globalState.get<{ id: string; folder: string; at: number }>(PENDING_START_KEY);
  if (!pending) return;
  const folder = vscode.Uri.parse(pending.folder);
  const exercise = s.catalog.byId.get(pending.id);
  const inWorkspace = !!vscode.workspace.getWorkspaceFolder(folder);
  if (!inWorkspace && Date.now() - pending.at < PENDING_MAX_AGE_MS) return; // another window will pick it up
  await s.context.globalState.update(PENDING_START_KEY, undefined);
  if (!exercise || !inWorkspace || Date.now() - pending.at >= PENDING_MAX_AGE_MS) return;
  if (markerIn(folder.fsPath) !== exercise.id) return;
  await openExercise(s, exercise, folder);
  void s.verify.discover();
  void checkPythonQuietly(s, folder);
}

/** Opens the exercise's files (the main one active) and the brief beside them. */
export async function openExercise(s: CourseSession, exercise: Exercise, folder: vscode.Uri): Promise<void> {
  s.setCurrent(exercise, folder);
  const files = exercise.open.map((rel) => vscode.Uri.joinPath(folder, ...rel.split('/')));
  // Other files first, the main file last so that it is the active editor.
  for (const uri of [...files.slice(1), ...files.slice(0, 1)]) {
    try {
      await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: false, preserveFocus: false });
    } catch (error) {
      s.log.warn(`Could not open ${uri.fsPath}:`, String(error));
    }
  }
  s.brief.show({ exercise, folder }, { column: vscode.ViewColumn.Beside, preserveFocus: true });
}
