/**
 * Trying the learner's own API outside Verify:
 * - **Run the App** (`flaskTutor.runApp`): `python -m flask run` for the app of the active file's
 *   folder (the nearest folder holding app.py or wsgi.py), on a free port of 127.0.0.1, in a
 *   terminal (the debugger off); closing the terminal stops it.
 * - **Open Swagger UI** (`flaskTutor.openSwaggerUi`): runs the app if it is not running, finds
 *   where it serves Swagger UI and opens it in VS Code's Simple Browser.
 * - **Export API** (`flaskTutor.exportApi`): the routes the language server read, as a Postman
 *   collection, cURL commands, an .http file, a Locust file or an OpenAPI skeleton, in a new
 *   editor to save. Reads no code at run time, so it works in Restricted Mode.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DEFAULT_BASE_URL, exportApi, ExportFormat } from '../core/apiExport';
import { findSwaggerUi, freePort, shellWord, waitUp } from '../engine/serve';
import type { Log } from '../log';
import type { LanguageServerHandle } from '../lsp/startClient';
import type { PythonLocator } from '../verify/python';
import { ConsolePanel } from './consolePanel';

const APP_FILES = ['app.py', 'wsgi.py'];

/** The folder of the app the active editor belongs to: the nearest one up holding app.py or wsgi.py. */
export function appFolderOf(file: string | undefined, roots: string[]): string | undefined {
  for (let dir = file ? path.dirname(file) : undefined; dir; dir = path.dirname(dir)) {
    if (!roots.some((r) => dir === r || dir!.startsWith(r + path.sep))) break;
    if (APP_FILES.some((f) => fs.existsSync(path.join(dir!, f)))) return dir;
    if (roots.includes(dir) || path.dirname(dir) === dir) break;
  }
  const root = roots.find((r) => APP_FILES.some((f) => fs.existsSync(path.join(r, f))));
  return root;
}

interface Running {
  terminal: vscode.Terminal;
  base: string;
}

export function registerAppCommands(context: vscode.ExtensionContext, log: Log, python: PythonLocator, server: LanguageServerHandle): { console: ConsolePanel } {
  const running = new Map<string, Running>();
  const t = vscode.l10n.t;
  const consolePanel = new ConsolePanel(context.extensionUri, log, python);
  consolePanel.servers = () => [...running.values()].filter((r) => r.terminal.exitStatus === undefined).map((r) => r.base);
  context.subscriptions.push(consolePanel);

  const folderForCommand = async (): Promise<string | undefined> => {
    const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const folder = appFolderOf(vscode.window.activeTextEditor?.document.uri.fsPath, roots);
    if (!folder) void vscode.window.showWarningMessage(t('Open a file of your Flask app first: the app is found as app.py or wsgi.py in its folder or above.'));
    return folder;
  };

  const runApp = async (): Promise<Running | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(t('Running the app runs your code: trust this folder first (Restricted Mode runs none).'));
      return undefined;
    }
    const folder = await folderForCommand();
    if (!folder) return undefined;
    const existing = running.get(folder);
    if (existing && existing.terminal.exitStatus === undefined) {
      existing.terminal.show();
      return existing;
    }
    const interpreter = await python.resolve(vscode.Uri.file(folder));
    const port = await freePort();
    const terminal = vscode.window.createTerminal({ name: t('Flask app ({0})', path.basename(folder)), cwd: folder, env: { FLASK_DEBUG: '0' } });
    terminal.show();
    terminal.sendText(`${shellWord(interpreter.path)} -m flask run --port ${port}`);
    const entry = { terminal, base: `http://127.0.0.1:${port}` };
    running.set(folder, entry);
    log.info(`Run the app: ${folder} with ${interpreter.path} on port ${port}`);
    if (!(await waitUp(`${entry.base}/`, 40, () => terminal.exitStatus !== undefined))) {
      void vscode.window.showWarningMessage(t('The app did not start: see the terminal "{0}".', terminal.name));
      return undefined;
    }
    return entry;
  };

  context.subscriptions.push(
    vscode.window.onDidCloseTerminal((closed) => {
      for (const [folder, r] of running) if (r.terminal === closed) running.delete(folder);
    }),
    vscode.commands.registerCommand('flaskTutor.runApp', async () => (await runApp())?.base),
    // Try It: the request console on the app of the active file, at a route when one is given
    // (the Routes view passes its node, the CodeLens [method, rule]).
    vscode.commands.registerCommand('flaskTutor.tryRoute', async (arg?: unknown, ruleArg?: unknown) => {
      const node = typeof arg === 'object' && arg !== null && 'route' in arg ? (arg as { route: { methods: string[]; rule: string; uri: string } }).route : undefined;
      const method = node ? node.methods[0] : typeof arg === 'string' ? arg : undefined;
      const rule = node ? node.rule : typeof ruleArg === 'string' ? ruleArg : undefined;
      const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
      const folder = appFolderOf(node ? vscode.Uri.parse(node.uri).fsPath : vscode.window.activeTextEditor?.document.uri.fsPath, roots) ?? (await folderForCommand());
      if (!folder) return false;
      const client = await server.client();
      consolePanel.routes = ((await client?.routes()) ?? []).flatMap((r) => r.methods.map((m) => ({ method: m, rule: r.rule })));
      consolePanel.open(folder, rule ? { method, rule } : undefined);
      return true;
    }),
    vscode.commands.registerCommand('flaskTutor.openSwaggerUi', async () => {
      const app = await runApp();
      if (!app) return undefined;
      const ui = await findSwaggerUi(app.base);
      if (!ui) {
        void vscode.window.showInformationMessage(t('Your app serves no Swagger UI (looked at /swagger, /apidocs/, /docs and /). Flask-RESTX and flasgger serve one.'));
        return undefined;
      }
      log.info(`Swagger UI at ${ui}`);
      await vscode.commands.executeCommand('simpleBrowser.show', ui);
      return ui;
    }),
    vscode.commands.registerCommand('flaskTutor.exportApi', async (format?: ExportFormat) => {
      const client = await server.client();
      const routes = (await client?.routes()) ?? [];
      if (!routes.length) {
        void vscode.window.showInformationMessage(t('No routes found yet: open a Python file of your Flask app (the language server reads its routes).'));
        return undefined;
      }
      const choices: { label: string; format: ExportFormat; language: string; description: string }[] = [
        { label: t('Postman collection (v2.1)'), format: 'postman', language: 'json', description: t('import it in Postman') },
        { label: t('cURL commands'), format: 'curl', language: 'shellscript', description: t('one per route') },
        { label: t('.http file'), format: 'http', language: 'http', description: t('REST Client, JetBrains HTTP Client') },
        { label: t('Locust load test'), format: 'locust', language: 'python', description: t('locust -f locustfile.py') },
        { label: t('OpenAPI skeleton'), format: 'openapi', language: 'json', description: t('paths and parameters, to fill in') },
      ];
      const choice = format ? choices.find((c) => c.format === format) : await vscode.window.showQuickPick(choices, { placeHolder: t('Export the routes of your app as…') });
      if (!choice) return undefined;
      const name = path.basename((await folderForCommand()) ?? vscode.workspace.workspaceFolders?.[0]?.name ?? 'Flask app');
      const content = exportApi(
        choice.format,
        routes.map((r) => ({ endpoint: r.endpoint, rule: r.rule, methods: r.methods })),
        name,
        [...running.values()][0]?.base ?? DEFAULT_BASE_URL,
      );
      const doc = await vscode.workspace.openTextDocument({ content, language: choice.language });
      await vscode.window.showTextDocument(doc);
      return content;
    }),
  );
  return { console: consolePanel };
}
