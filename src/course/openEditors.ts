import * as path from 'path';
import * as vscode from 'vscode';
import type { Log } from '../log';

/** True when `uri` is a file on disk inside `folder`. */
export function isInside(folder: vscode.Uri, uri: vscode.Uri): boolean {
  if (uri.scheme !== 'file') return false;
  const rel = path.relative(folder.fsPath, uri.fsPath);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Saves every unsaved document inside `folder` (before a backup copies the folder). */
export async function saveDirtyIn(folder: vscode.Uri): Promise<void> {
  await Promise.all(vscode.workspace.textDocuments.filter((d) => d.isDirty && isInside(folder, d.uri)).map((d) => d.save()));
}

/**
 * After Reset or Restore rewrote `folder` on disk: every editor tab of a file inside it shows the
 * new content now. VS Code reloads a document when its file watcher reports a change, which may
 * come late or never (a busy machine, a remote without watch events), and `workspace.fs` writes to
 * `file:` URIs in the extension host itself, so rewriting the file does not help. "Revert File"
 * (forced) reads the file again whatever the watcher said; it acts on the active editor, so each
 * tab is made active in its group, then the editor that was active is brought back.
 */
export async function reloadTabsIn(folder: vscode.Uri, log?: Log): Promise<number> {
  const tabs = vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs
      .filter((tab) => tab.input instanceof vscode.TabInputText && isInside(folder, tab.input.uri) && !tab.isDirty)
      .map((tab) => ({ uri: (tab.input as vscode.TabInputText).uri, viewColumn: group.viewColumn })),
  );
  if (tabs.length === 0) return 0;
  const active = vscode.window.activeTextEditor;
  const activeGroup = vscode.window.tabGroups.activeTabGroup.viewColumn;
  let reloaded = 0;
  for (const tab of tabs) {
    try {
      await vscode.window.showTextDocument(tab.uri, { viewColumn: tab.viewColumn, preserveFocus: false, preview: false });
      await vscode.commands.executeCommand('workbench.action.files.revert');
      reloaded++;
    } catch (err) {
      log?.warn(`Could not reload ${tab.uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (active && !active.document.isClosed) {
    await vscode.window.showTextDocument(active.document, { viewColumn: active.viewColumn ?? activeGroup, preserveFocus: false });
  }
  return reloaded;
}
