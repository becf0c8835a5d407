import * as vscode from 'vscode';

/** The extension's one log channel ("Flask Backend Tutor"), created once in activate(). */
export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('Flask Backend Tutor', { log: true });
}

/**
 * Shows a short error to the user with a "Show log" action; the details go to the log.
 * Returns when the notification is dismissed (callers usually do not await it).
 */
export async function showError(log: Log, message: string, error?: unknown): Promise<void> {
  if (error !== undefined) log.error(message, error instanceof Error ? (error.stack ?? error.message) : String(error));
  else log.error(message);
  const showLog = vscode.l10n.t('Show log');
  const choice = await vscode.window.showErrorMessage(message, showLog);
  if (choice === showLog) log.show();
}
