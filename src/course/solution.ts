/**
 * "Compare with solution": the reference solution as read-only virtual documents
 * (`flask-tutor-solution:/<exercise id>/<path>`), shown on the right of a diff with the
 * learner's file on the left. Nothing is ever written into the learner's folder.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Catalog } from '../engine/catalog';

export const SOLUTION_SCHEME = 'flask-tutor-solution';

export function solutionUri(exerciseId: string, relPath: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SOLUTION_SCHEME, path: `/${exerciseId}/${relPath}` });
}

export class SolutionProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly catalog: Catalog) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, exerciseId, ...rest] = uri.path.split('/');
    const exercise = this.catalog.byId.get(exerciseId);
    const rel = rest.join('/');
    if (!exercise || !rel || rest.includes('..')) throw new Error(`No reference solution file ${uri.path}`);
    const file = path.join(exercise.solutionDir, ...rest);
    if (path.relative(exercise.solutionDir, file).startsWith('..')) throw new Error(`No reference solution file ${uri.path}`);
    return fsp.readFile(file, 'utf8');
  }
}
