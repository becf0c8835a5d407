/**
 * Composition root. activate() creates the log, builds the features and registers them; the
 * features themselves live in their own modules (src/<feature>/), the logic they share in
 * src/core/ (plain TypeScript, no `vscode` import, unit-tested in Node).
 */
import * as vscode from 'vscode';
import { createLog, showError } from './log';

export interface FlaskTutorApi {
  /** For integration tests: the activation time in milliseconds. */
  readonly activationMs: number;
}

export async function activate(context: vscode.ExtensionContext): Promise<FlaskTutorApi> {
  const started = performance.now();
  const log = createLog();
  context.subscriptions.push(log);
  try {
    context.subscriptions.push(
      vscode.commands.registerCommand('flaskTutor.showLog', () => log.show()),
    );
    const activationMs = Math.round((performance.now() - started) * 10) / 10;
    log.info(`Activated in ${activationMs} ms (VS Code ${vscode.version}, ${vscode.env.appHost}).`);
    return { activationMs };
  } catch (error) {
    void showError(log, vscode.l10n.t('Flask Backend Tutor could not start. See the log for details.'), error);
    throw error;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
