/**
 * The language client, in its own bundle (dist/lspClient.js) so that vscode-languageclient is
 * loaded only when a Flask file opens (./startClient.ts decides when). Starts dist/server.js over
 * Node IPC, with our log channel, the diagnostics settings, and file events for Python files and
 * templates.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LSP_PROTOCOL_VERSION, RoutesChangedNotification, SERVER_EXEC_ARGV, RoutesRequest, type InitOptions, type RouteInfo } from './protocol';

export interface FlaskLanguageClient extends vscode.Disposable {
  routes(): Promise<RouteInfo[]>;
  /** Fires when the server's list of routes changed. */
  readonly onRoutesChanged: vscode.Event<void>;
  readonly client: LanguageClient;
}

function settings(): InitOptions['settings'] {
  const config = vscode.workspace.getConfiguration('flaskTutor.diagnostics');
  return { enabled: config.get<boolean>('enabled', true), severity: config.get<Record<string, string>>('severity', {}) };
}

export async function startLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<FlaskLanguageClient> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{py,html,htm,jinja,jinja2,j2}');
  const init: InitOptions = { protocolVersion: LSP_PROTOCOL_VERSION, wasmDir: context.asAbsolutePath('dist'), settings: settings() };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'file', language: 'jinja' },
      { scheme: 'file', language: 'jinja-html' },
      { scheme: 'file', language: 'html', pattern: '**/templates/**' },
    ],
    synchronize: { fileEvents: watcher },
    initializationOptions: init,
    outputChannel: log,
  };
  const client = new LanguageClient('flaskTutor', 'Flask Tutor language server', serverOptions, clientOptions);
  const onConfig = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('flaskTutor.diagnostics')) void client.sendNotification('workspace/didChangeConfiguration', { settings: { flaskTutor: { diagnostics: settings() } } });
  });
  const routesChanged = new vscode.EventEmitter<void>();
  await client.start();
  client.onNotification(RoutesChangedNotification, () => routesChanged.fire());
  return {
    client,
    routes: () => client.sendRequest(RoutesRequest),
    onRoutesChanged: routesChanged.event,
    dispose: () => {
      routesChanged.dispose();
      onConfig.dispose();
      watcher.dispose();
      void client.stop();
    },
  };
}
