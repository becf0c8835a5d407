/**
 * Composition root. activate() creates the log, builds the features and registers them; the
 * features themselves live in their own modules (src/<feature>/), the logic they share in
 * src/core/ (plain TypeScript, no `vscode` import, unit-tested in Node) and src/engine/
 * (Node only: processes, files).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { registerAppCommands } from './console/appCommands';
import type { ConsolePanel } from './console/consolePanel';
import { CourseApi, registerCourse } from './course';
import { registerDemoCommands } from './demos/openDemo';
import { loadCatalog } from './engine/catalog';
import { createLog, showError } from './log';
import { watchWarmWorkerSetting } from './verify/warmSetting';
import { registerRoutesView } from './lsp/routesView';
import { LanguageServerHandle, registerLanguageServer } from './lsp/startClient';
import { registerSnippetCommands } from './snippets/insertSnippet';
import { VerifyController } from './verify/controller';
import { createVenv } from './verify/install';
import { PythonLocator } from './verify/python';

export interface FlaskTutorApi {
  /** For integration tests: the activation time in milliseconds. */
  readonly activationMs: number;
  readonly verify: VerifyController;
  readonly course: CourseApi;
  readonly languageServer: LanguageServerHandle;
  /** For integration tests: the routes the Routes view shows. */
  readonly routes: () => readonly { endpoint: string; rule: string }[];
  /** For integration tests: the request console. */
  readonly console: ConsolePanel;
}

export async function activate(context: vscode.ExtensionContext): Promise<FlaskTutorApi> {
  const started = performance.now();
  const log = createLog();
  context.subscriptions.push(log);
  context.subscriptions.push(watchWarmWorkerSetting(log));
  try {
    const catalog = loadCatalog(path.join(context.extensionPath, 'exercises'));
    catalog.problems.forEach((p) => log.error(`Exercise manifest: ${p}`));
    const python = new PythonLocator(log);
    const verify = new VerifyController(catalog, python, log, path.join(context.extensionPath, 'python'));
    context.subscriptions.push(
      python,
      verify,
      vscode.commands.registerCommand('flaskTutor.showLog', () => log.show()),
      vscode.commands.registerCommand('flaskTutor.createVenv', () => createVenv(python, log, catalog, verify)),
    );
    registerSnippetCommands(context, log);
    registerDemoCommands(context, log, python);
    const course = registerCourse(context, { log, catalog, verify, python });
    const languageServer = registerLanguageServer(context, log);
    const routesView = registerRoutesView(context, languageServer);
    const app = registerAppCommands(context, log, python, languageServer);
    const activationMs = Math.round((performance.now() - started) * 10) / 10;
    log.info(`Activated in ${activationMs} ms (VS Code ${vscode.version}, ${vscode.env.appHost}, ${catalog.exercises.length} exercises).`);
    return { activationMs, verify, course, languageServer, routes: () => routesView.provider.routes, console: app.console };
  } catch (error) {
    void showError(log, vscode.l10n.t('Flask Backend Tutor could not start. See the log for details.'), error);
    throw error;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
