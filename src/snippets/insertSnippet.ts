/**
 * "Insert Flask Snippet…" (flaskTutor.insertSnippet). Without an argument it offers the snippets
 * that fit the active editor's language in a quick pick grouped by chapter; with a prefix
 * (`"fl-route"` or `{ "prefix": "fl-route" }`, e.g. from a walkthrough's command link) it inserts
 * that snippet directly. The editor is the active one, else a visible one of the snippet's
 * language, else a new untitled document. The catalog is read on the first use, not at activation.
 * (The snippets themselves are contributed through `contributes.snippets` and work without this.)
 */
import * as vscode from 'vscode';
import { chapterDisplayName } from '../core/chapters';
import {
  CatalogSnippet,
  INSERT_SNIPPET_COMMAND,
  SnippetCatalog,
  SnippetKind,
  findSnippet,
  groupByChapter,
  kindOfLanguage,
  parseCatalog,
  prefixFromArgument,
} from '../core/snippetCatalog';
import { Log, showError } from '../log';

interface SnippetItem extends vscode.QuickPickItem {
  readonly snippet?: CatalogSnippet;
}

export function registerSnippetCommands(context: vscode.ExtensionContext, log: Log): void {
  let catalog: Promise<SnippetCatalog> | undefined;
  const loadCatalog = (): Promise<SnippetCatalog> =>
    (catalog ??= readCatalog(context.extensionUri).catch((error: unknown) => {
      catalog = undefined; // try again next time
      throw error;
    }));

  context.subscriptions.push(
    vscode.commands.registerCommand(INSERT_SNIPPET_COMMAND, async (arg?: unknown) => {
      try {
        await insertSnippet(await loadCatalog(), arg, log);
      } catch (error) {
        void showError(log, vscode.l10n.t('Could not insert the Flask snippet. See the log for details.'), error);
      }
    }),
  );
}

async function readCatalog(extensionUri: vscode.Uri): Promise<SnippetCatalog> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'snippets', 'catalog.json'));
  return parseCatalog(JSON.parse(new TextDecoder().decode(bytes)));
}

async function insertSnippet(catalog: SnippetCatalog, arg: unknown, log: Log): Promise<void> {
  let snippet: CatalogSnippet | undefined;
  // No argument from the palette or a keybinding; menus pass the resource, which names no snippet.
  if (arg === undefined || arg === null || arg instanceof vscode.Uri) {
    snippet = await pickSnippet(catalog, vscode.window.activeTextEditor);
    if (!snippet) return;
  } else {
    const prefix = prefixFromArgument(arg);
    snippet = prefix ? findSnippet(catalog, prefix) : undefined;
    if (!snippet) {
      const name = prefix ?? JSON.stringify(arg);
      void showError(log, vscode.l10n.t('There is no Flask snippet "{0}". Run "Insert Flask Snippet…" to choose one.', name));
      return;
    }
  }
  const editor = await targetEditor(catalog, snippet.kind);
  const inserted = await editor.insertSnippet(new vscode.SnippetString(snippet.body));
  if (!inserted) {
    void showError(log, vscode.l10n.t('The snippet "{0}" could not be inserted: is the editor read-only?', snippet.prefix));
    return;
  }
  log.info(`Inserted snippet ${snippet.prefix} into ${editor.document.uri.toString(true)}`);
}

async function pickSnippet(catalog: SnippetCatalog, editor: vscode.TextEditor | undefined): Promise<CatalogSnippet | undefined> {
  const kind = editor ? kindOfLanguage(catalog, editor.document.languageId) : undefined;
  const snippets = kind ? catalog.snippets.filter((s) => s.kind === kind) : catalog.snippets;
  const kindLabel = (k: SnippetKind): string => (k === 'python' ? vscode.l10n.t('Python') : vscode.l10n.t('Template'));
  const items: SnippetItem[] = [];
  for (const group of groupByChapter(snippets)) {
    items.push({ label: chapterDisplayName(group.chapter), kind: vscode.QuickPickItemKind.Separator });
    for (const s of group.snippets) {
      items.push({ label: s.prefix, description: kind ? s.name : `${s.name} · ${kindLabel(s.kind)}`, detail: s.description, snippet: s });
    }
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Insert Flask Snippet'),
    placeHolder: kind
      ? vscode.l10n.t('{0} snippets: type a prefix, name or description', kindLabel(kind))
      : vscode.l10n.t('Python and template snippets: type a prefix, name or description'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.snippet;
}

/** The active editor unless it holds the other kind's language; else a fitting visible one; else a new file. */
async function targetEditor(catalog: SnippetCatalog, kind: SnippetKind): Promise<vscode.TextEditor> {
  const active = vscode.window.activeTextEditor;
  const activeKind = active ? kindOfLanguage(catalog, active.document.languageId) : undefined;
  if (active && (activeKind === kind || activeKind === undefined)) return active;
  const visible = vscode.window.visibleTextEditors.find((e) => kindOfLanguage(catalog, e.document.languageId) === kind);
  if (visible) return vscode.window.showTextDocument(visible.document, visible.viewColumn);
  const known = await vscode.languages.getLanguages();
  const language = catalog.languages[kind].find((id) => known.includes(id)) ?? catalog.languages[kind][catalog.languages[kind].length - 1];
  const document = await vscode.workspace.openTextDocument({ language });
  return vscode.window.showTextDocument(document);
}
