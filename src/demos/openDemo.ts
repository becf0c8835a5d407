/**
 * `flaskTutor.openDemo` (argument: chapter id, e.g. "c01"): copies demos/<chapter>/ from the
 * extension into the workspace (unless it is there already), runs it with the learner's Python
 * (`python -m flask --app app run --port <free port>`) in a terminal and opens Swagger UI.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { freePort, shellWord as quote, waitUp } from '../engine/serve';
import type { Log } from '../log';
import type { PythonLocator } from '../verify/python';

export function registerDemoCommands(context: vscode.ExtensionContext, log: Log, python: PythonLocator): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('flaskTutor.openDemo', async (chapter?: string) => {
      if (!chapter) {
        const root = path.join(context.extensionPath, 'demos');
        const chapters = fs.existsSync(root) ? fs.readdirSync(root).filter((c) => fs.existsSync(path.join(root, c, 'app.py'))) : [];
        chapter = await vscode.window.showQuickPick(chapters.sort(), { placeHolder: vscode.l10n.t('Which chapter\'s demo?') });
        if (!chapter) return;
      }
      const source = chapter && /^[\w-]+$/.test(chapter) ? path.join(context.extensionPath, 'demos', chapter) : undefined;
      if (!source || !fs.existsSync(path.join(source, 'app.py'))) {
        void vscode.window.showErrorMessage(vscode.l10n.t('There is no demo for chapter {0}.', String(chapter)));
        return;
      }
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Open a folder first: the demo is copied into your workspace.'));
        return;
      }
      const target = path.join(folder.uri.fsPath, 'demos', chapter!);
      if (!fs.existsSync(target)) {
        fs.cpSync(source, target, { recursive: true, filter: (p) => !/(__pycache__|\.pyc$|\.pytest_cache)/.test(p) });
        log.info(`Demo ${chapter} copied to ${target}`);
      }
      const interpreter = await python.resolve(folder.uri);
      const port = await freePort();
      const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Demo {0}', chapter!), cwd: target });
      terminal.show();
      terminal.sendText(`${quote(interpreter.path)} -m flask --app app run --port ${port}`);
      const swagger = `http://127.0.0.1:${port}/swagger`;
      log.info(`Demo ${chapter} starting with ${interpreter.path} on port ${port}`);
      if (await waitUp(swagger)) {
        await vscode.env.openExternal(vscode.Uri.parse(swagger));
      } else {
        void vscode.window.showWarningMessage(vscode.l10n.t('The demo did not start. See the terminal "Demo {0}" and the demo\'s README for what it needs (flask and flask-restx; some demos more, such as redis).', chapter!));
      }
    }),
  );
}
