/** Helpers for integration tests (they run inside the extension host). */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FlaskTutorApi } from '../../src/extension';

export const EXTENSION_ID = 'flask-tutor.flask-backend-tutor';

export function getExtension(): vscode.Extension<FlaskTutorApi> {
  const extension = vscode.extensions.getExtension<FlaskTutorApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
  return extension;
}

/** Activates the extension (idempotent) and returns its API. */
export async function activate(): Promise<FlaskTutorApi> {
  return getExtension().activate();
}

/** The (temporary copy of the) scenario's fixture workspace folder. */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder;
}
