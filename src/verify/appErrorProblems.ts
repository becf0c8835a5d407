/**
 * "Your app does not load" at the learner's line, in the Problems view, until a verify loads it
 * (or Reset / Restore replace the files): one entry per exercise folder at most.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunResults } from '../core/results';

export class AppErrorProblems implements vscode.Disposable {
  private readonly problems = vscode.languages.createDiagnosticCollection('flaskTutor');
  private readonly problemFiles = new Map<string, vscode.Uri[]>();

  dispose(): void {
    this.problems.dispose();
  }

  /** A Problems entry at the learner's line while their app does not load; cleared once it does. */
  show(folder: vscode.Uri, appError: RunResults['appError']): void {
    for (const uri of this.problemFiles.get(folder.fsPath) ?? []) this.problems.delete(uri);
    this.problemFiles.delete(folder.fsPath);
    const file = appError?.location?.file;
    if (!appError || !file || path.relative(folder.fsPath, file).startsWith('..')) return;
    const line = Math.max(0, (appError.location?.line ?? 1) - 1);
    const column = Math.max(0, (appError.location?.column ?? 1) - 1);
    const diagnostic = new vscode.Diagnostic(
      new vscode.Range(line, column, line, Number.MAX_SAFE_INTEGER),
      vscode.l10n.t('Your app does not load: {0}', appError.message.split('\n')[0]),
      vscode.DiagnosticSeverity.Error,
    );
    diagnostic.source = vscode.l10n.t('Flask Tutor verify');
    const uri = vscode.Uri.file(file);
    this.problems.set(uri, [diagnostic]);
    this.problemFiles.set(folder.fsPath, [uri]);
  }

  /** The Problems entries of a folder. */
  of(folder: vscode.Uri): readonly vscode.Diagnostic[] {
    return (this.problemFiles.get(folder.fsPath) ?? []).flatMap((uri) => [...(this.problems.get(uri) ?? [])]);
  }
}
