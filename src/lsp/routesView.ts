/**
 * The Routes view (Flask Tutor's activity bar container): blueprint → route (rule, methods, view),
 * from the language server's index, refreshed when the server says the routes changed; a route
 * opens its view function. Until a Flask file has been opened, the view shows its welcome text
 * (package.json viewsWelcome) with a button that starts the server.
 */
import * as vscode from 'vscode';
import type { RouteInfo } from './protocol';
import { groupRoutes, RouteGroup, routeDescription } from './routesTree';
import type { LanguageServerHandle } from './startClient';

export const ROUTES_VIEW = 'flaskTutor.routes';

type Node = { group: RouteGroup } | { route: RouteInfo };

class RoutesProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  routes: RouteInfo[] = [];

  refresh(routes: RouteInfo[]): void {
    this.routes = routes;
    void vscode.commands.executeCommand('setContext', 'flaskTutor.hasRoutes', routes.length > 0);
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    if (!node) return groupRoutes(this.routes).map((group) => ({ group }));
    return 'group' in node ? node.group.routes.map((route) => ({ route })) : [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if ('group' in node) {
      const item = new vscode.TreeItem(node.group.blueprint ?? vscode.l10n.t('app'), vscode.TreeItemCollapsibleState.Expanded);
      item.description = node.group.blueprint ? vscode.l10n.t('blueprint') : undefined;
      item.iconPath = new vscode.ThemeIcon(node.group.blueprint ? 'symbol-namespace' : 'globe');
      return item;
    }
    const r = node.route;
    const item = new vscode.TreeItem(r.rule, vscode.TreeItemCollapsibleState.None);
    item.description = routeDescription(r);
    item.tooltip = `${r.methods.join(', ')} ${r.rule}\n${vscode.l10n.t('endpoint')}: ${r.endpoint}`;
    item.iconPath = new vscode.ThemeIcon('symbol-method');
    item.contextValue = 'route';
    item.command = {
      command: 'vscode.open',
      title: vscode.l10n.t('Open the view function'),
      arguments: [vscode.Uri.parse(r.uri), { selection: new vscode.Range(r.range.start.line, r.range.start.character, r.range.end.line, r.range.end.character) }],
    };
    return item;
  }
}

export function registerRoutesView(context: vscode.ExtensionContext, server: LanguageServerHandle): { provider: RoutesProvider } {
  const provider = new RoutesProvider();
  const view = vscode.window.createTreeView(ROUTES_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  let wired = false;
  const connect = async () => {
    const client = await server.client();
    if (!client) return;
    if (!wired) {
      wired = true;
      context.subscriptions.push(client.onRoutesChanged(() => void client.routes().then((r) => provider.refresh(r))));
    }
    provider.refresh(await client.routes());
  };
  context.subscriptions.push(
    view,
    vscode.commands.registerCommand('flaskTutor.showRoutes', async () => {
      await connect();
      await vscode.commands.executeCommand(`${ROUTES_VIEW}.focus`);
    }),
    view.onDidChangeVisibility((e) => {
      if (e.visible && server.started()) void connect();
    }),
  );
  server.onStarted(() => void connect());
  return { provider };
}
