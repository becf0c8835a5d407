/**
 * When the language server starts: the first time a Python file that imports Flask, or a
 * template of a Flask workspace, is open in an editor; never at activation (the client's bundle,
 * dist/lspClient.js, is loaded then, not before). `flaskTutor.languageServer.enabled` turns it off.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { FlaskLanguageClient } from './client';

const FLASK_IMPORT = /^\s*(from\s+flask[\w.]*\s+import|import\s+flask)\b/m;

/** Whether a document is one the language server is for. */
export function isFlaskDocument(doc: { languageId: string; uri: { scheme: string; fsPath: string }; getText(): string }): boolean {
  if (doc.uri.scheme !== 'file') return false;
  if (doc.languageId === 'python') return FLASK_IMPORT.test(doc.getText());
  if (doc.languageId === 'jinja' || doc.languageId === 'jinja-html' || doc.languageId === 'html') return doc.uri.fsPath.split(path.sep).includes('templates');
  return false;
}

export interface LanguageServerHandle {
  /** The running client, starting it if it has not started (for the Routes view and tests). */
  client(): Promise<FlaskLanguageClient | undefined>;
  /** Whether it was started (or is starting). */
  started(): boolean;
  /** Calls `listener` once the client has started (now, if it has). */
  onStarted(listener: () => void): void;
}

export function registerLanguageServer(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageServerHandle {
  let starting: Promise<FlaskLanguageClient | undefined> | undefined;
  const listeners: (() => void)[] = [];
  const enabled = () => vscode.workspace.getConfiguration('flaskTutor.languageServer').get<boolean>('enabled', true);
  const start = (): Promise<FlaskLanguageClient | undefined> => {
    starting ??= (async () => {
      const started = performance.now();
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { startLanguageClient } = require(path.join(context.extensionPath, 'dist', 'lspClient.js')) as typeof import('./client');
        const client = await startLanguageClient(context, log);
        context.subscriptions.push(client);
        log.info(`Language server started in ${Math.round(performance.now() - started)} ms.`);
        // The Routes view shows from now on (package.json: its `when`), not in every window.
        void vscode.commands.executeCommand('setContext', 'flaskTutor.languageServerStarted', true);
        listeners.splice(0).forEach((l) => l());
        return client;
      } catch (error) {
        log.error(`The language server could not start: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    })();
    return starting;
  };
  const consider = (doc: vscode.TextDocument) => {
    if (!starting && enabled() && isFlaskDocument(doc)) void start();
  };
  vscode.workspace.textDocuments.forEach(consider);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(consider));
  return {
    client: () => (enabled() ? start() : Promise.resolve(undefined)),
    started: () => starting !== undefined,
    onStarted: (listener) => {
      if (starting) void starting.then((c) => c && listener());
      else listeners.push(listener);
    },
  };
}
