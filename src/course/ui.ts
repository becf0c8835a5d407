/**
 * Every question the course engine asks the learner goes through `Prompts`, so integration
 * tests can answer them (modal dialogs cannot be clicked from an extension test). The default
 * implementation is VS Code's window API.
 */
import * as vscode from 'vscode';

export interface Prompts {
  /** A modal question; resolves to the chosen action or undefined (Cancel, Escape). */
  confirm(message: string, detail: string, ...actions: string[]): Thenable<string | undefined>;
  /** A non-modal notification with actions. */
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  warn(message: string, ...actions: string[]): Thenable<string | undefined>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  openDialog(options: vscode.OpenDialogOptions): Thenable<vscode.Uri[] | undefined>;
  saveDialog(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined>;
  workspaceFolder(placeHolder: string): Thenable<vscode.WorkspaceFolder | undefined>;
}

export const windowPrompts: Prompts = {
  confirm: (message, detail, ...actions) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions),
  info: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  warn: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  pick: (items, options) => vscode.window.showQuickPick(items, options),
  openDialog: (options) => vscode.window.showOpenDialog(options),
  saveDialog: (options) => vscode.window.showSaveDialog(options),
  workspaceFolder: (placeHolder) => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length <= 1) return Promise.resolve(folders[0]);
    return vscode.window.showWorkspaceFolderPick({ placeHolder });
  },
};
