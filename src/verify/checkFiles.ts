/**
 * The exercise's check files as read-only documents (`flask-tutor-check:/<exercise id>/<file>`):
 * what the Testing view opens for a check ("Go to Test", double-click). The learner reads how a
 * check works but never edits our files in the installed extension (the place to act is their
 * own code, where each failure's message points).
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Catalog } from '../engine/catalog';

export const CHECK_SCHEME = 'flask-tutor-check';

export function checkUri(exerciseId: string, fileName: string): vscode.Uri {
  return vscode.Uri.from({ scheme: CHECK_SCHEME, path: `/${exerciseId}/${fileName}` });
}

export class CheckFileProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly catalog: Catalog) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, exerciseId, name, ...rest] = uri.path.split('/');
    const exercise = this.catalog.byId.get(exerciseId);
    if (!exercise || !name || rest.length || name.includes('..')) throw new Error(`No check file ${uri.path}`);
    const file = path.join(exercise.checksDir, name);
    if (path.dirname(file) !== exercise.checksDir) throw new Error(`No check file ${uri.path}`);
    return fsp.readFile(file, 'utf8');
  }
}
