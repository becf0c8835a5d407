/**
 * Where a learner's exercise folders are: by default `<workspace folder>/<exercisesFolder>/<id>/`
 * (setting `flaskTutor.exercisesFolder`, default `flask-tutor`), or anywhere in the workspace
 * a marker `.flasktutor.json` names the exercise (learners move folders).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { MARKER_FILE, readMarker } from '../core/manifest';
import type { VerifyController } from '../verify/controller';
import { BACKUP_DIR } from './files';

export const DEFAULT_EXERCISES_FOLDER = 'flask-tutor';

/** The setting, made safe: a relative path inside the workspace folder (`.` allowed). */
export function exercisesFolderSetting(scope?: vscode.ConfigurationScope): string {
  const raw = vscode.workspace.getConfiguration('flaskTutor', scope).get<string>('exercisesFolder', DEFAULT_EXERCISES_FOLDER) ?? '';
  const value = raw.trim().replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (!value) return '.';
  if (path.isAbsolute(value) || /^[A-Za-z]:/.test(value) || value.split('/').includes('..')) return DEFAULT_EXERCISES_FOLDER;
  return value;
}

export function defaultExerciseFolder(root: vscode.Uri, exerciseId: string): vscode.Uri {
  const sub = exercisesFolderSetting(root);
  return sub === '.' ? vscode.Uri.joinPath(root, exerciseId) : vscode.Uri.joinPath(root, ...sub.split('/'), exerciseId);
}

/** The exercise id the marker in `folder` names, if there is one. */
export function markerIn(folder: string): string | undefined {
  try {
    return readMarker(fs.readFileSync(path.join(folder, MARKER_FILE), 'utf8'))?.exercise;
  } catch {
    return undefined;
  }
}

/** The exercise folder (holding a marker) that contains `file`, looking up to its workspace folder. */
export function exerciseFolderOf(file: vscode.Uri): { folder: vscode.Uri; exerciseId: string } | undefined {
  if (file.scheme !== 'file') return undefined;
  const root = vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath;
  if (!root) return undefined;
  let dir = fs.existsSync(file.fsPath) && fs.statSync(file.fsPath).isDirectory() ? file.fsPath : path.dirname(file.fsPath);
  for (;;) {
    if (path.basename(dir) === BACKUP_DIR) return undefined;
    const id = markerIn(dir);
    if (id) return { folder: vscode.Uri.file(dir), exerciseId: id };
    if (dir === root || path.dirname(dir) === dir || !dir.startsWith(root)) return undefined;
    dir = path.dirname(dir);
  }
}

/** Every folder of the workspace whose marker names `exerciseId`; default locations first. */
export async function findExerciseFolders(exerciseId: string, verify: Pick<VerifyController, 'exerciseFolders'>): Promise<vscode.Uri[]> {
  const found: vscode.Uri[] = [];
  const seen = new Set<string>();
  const add = (uri: vscode.Uri) => {
    if (seen.has(uri.fsPath)) return;
    seen.add(uri.fsPath);
    found.push(uri);
  };
  for (const ws of vscode.workspace.workspaceFolders ?? []) {
    const candidate = defaultExerciseFolder(ws.uri, exerciseId);
    if (markerIn(candidate.fsPath) === exerciseId) add(candidate);
  }
  for (const { folder, exerciseId: id } of await verify.exerciseFolders()) {
    if (id === exerciseId) add(folder);
  }
  return found;
}
