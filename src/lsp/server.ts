/**
 * The Flask language server: LSP over Node IPC or stdio (`--node-ipc` / `--stdio`), a thin adapter
 * from the protocol to ./analysis.ts. Its own bundle (dist/server.js) with the tree-sitter WASM
 * files beside it. The custom messages it adds are in ./protocol.ts.
 */
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import {
  CodeAction,
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  Diagnostic,
  DiagnosticSeverity,
  FileChangeType,
  ProposedFeatures,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { RULES, Severity, type FlaskDiagnostic, type RuleId } from '../flask/rules';
import { loadPythonParser } from '../flask/syntax';
import { parsedBy, useFastParser } from '../flask/fileAnalysis';
import { Analysis, normalizeUri, Settings } from './analysis';
import { LSP_PROTOCOL_VERSION, RoutesChangedNotification, RoutesRequest, type InitOptions, type RouteInfo } from './protocol';

const connection = createConnection(ProposedFeatures.all);
let analysis: Analysis | undefined;
let ready: Promise<void> = Promise.resolve();

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Lines of at most `width` characters: VS Code's problem widget does not wrap long lines. */
function wrap(text: string, width = 80): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

function toDiagnostic(d: FlaskDiagnostic): Diagnostic {
  return {
    range: d.span,
    severity: SEVERITY[d.severity],
    source: 'Flask Tutor',
    code: d.rule,
    message: `${d.message}\n\n${wrap(RULES[d.rule].explain)}`,
    data: { rule: d.rule, fix: d.fix },
  };
}

let routesVersion = -1;
let idle: NodeJS.Timeout | undefined;

/**
 * At rest, give memory back: the client starts the server with --expose-gc. A plain gc() (Node 20
 * reads no options), then V8's last-resort collection, which also shrinks the young generation
 * and returns its pooled pages to the system (on Node 24, 40 MB of RSS a plain gc() keeps).
 */
function collectWhenIdle(): void {
  if (idle) clearTimeout(idle);
  idle = setTimeout(() => {
    const gc = (globalThis as { gc?: (options?: object) => void }).gc;
    gc?.();
    gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    const m = process.memoryUsage();
    const mb = (n: number) => (n / 1048576).toFixed(1);
    connection.console.log(
      `Flask Tutor language server at rest: RSS ${mb(m.rss)} MB, heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB; statements read by the TypeScript parser ${parsedBy.fast}, by tree-sitter ${parsedBy.treeSitter}`,
    );
  }, 2000);
  idle.unref();
}

function publish(uri?: string): void {
  if (!analysis) return;
  collectWhenIdle();
  if (analysis.ws.routesVersion !== routesVersion) {
    routesVersion = analysis.ws.routesVersion;
    void connection.sendNotification(RoutesChangedNotification, { count: analysis.routeCount() });
  }
  for (const u of uri ? [uri] : analysis.openUris()) {
    void connection.sendDiagnostics({ uri: u, diagnostics: analysis.diagnostics(u).map(toDiagnostic) });
  }
}

function applySettings(s: Partial<Settings> | undefined): void {
  if (!analysis || !s) return;
  analysis.settings = { enabled: s.enabled ?? true, severity: s.severity ?? {} };
}

connection.onInitialize((params) => {
  const options = (params.initializationOptions ?? {}) as Partial<InitOptions>;
  const wasmDir = options.wasmDir ?? __dirname;
  const folders = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
  // Benchmarks compare with every statement given to tree-sitter (scripts/bench-lsp.mjs).
  if (process.env.FLASK_TUTOR_LSP_PARSER === 'tree-sitter') useFastParser(false);
  ready = loadPythonParser(path.join(wasmDir, 'tree-sitter.wasm'), path.join(wasmDir, 'tree-sitter-python.wasm')).then((parser) => {
    analysis = new Analysis(parser);
    applySettings(options.settings);
    const started = Date.now();
    const count = analysis.indexFolders(folders);
    connection.console.info(`Flask Tutor language server: indexed ${count} files in ${Date.now() - started} ms`);
    publish();
  });
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      completionProvider: { triggerCharacters: ['"', "'", '.', ',', ' '] },
      definitionProvider: true,
      codeLensProvider: {},
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'flask-tutor', version: String(LSP_PROTOCOL_VERSION) },
  };
});

connection.onDidOpenTextDocument(async ({ textDocument }) => {
  await ready;
  analysis?.openDoc(textDocument.uri, textDocument.text);
  publish();
});

connection.onDidChangeTextDocument(async ({ textDocument, contentChanges }) => {
  await ready;
  analysis?.changeDoc(
    textDocument.uri,
    contentChanges.map((c) => ('range' in c ? { span: c.range, text: c.text } : { text: c.text })),
  );
  publish();
});

connection.onDidCloseTextDocument(async ({ textDocument }) => {
  await ready;
  analysis?.closeDoc(textDocument.uri);
  void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  publish();
});

connection.onDidChangeWatchedFiles(async ({ changes }) => {
  await ready;
  for (const c of changes) {
    if (c.type === FileChangeType.Deleted) analysis?.fileDeleted(c.uri);
    else analysis?.fileChanged(c.uri);
  }
  publish();
});

connection.onDidChangeConfiguration(async ({ settings }) => {
  await ready;
  applySettings((settings as { flaskTutor?: { diagnostics?: Partial<Settings> } })?.flaskTutor?.diagnostics);
  publish();
});

const KIND = { endpoint: CompletionItemKind.Function, parameter: CompletionItemKind.Variable, template: CompletionItemKind.File, block: CompletionItemKind.Module };

connection.onCompletion(async ({ textDocument, position }) => {
  await ready;
  return (analysis?.completions(textDocument.uri, position) ?? []).map((c, i) => ({
    label: c.label,
    kind: KIND[c.kind],
    detail: c.detail,
    sortText: String(i).padStart(4, '0'),
    textEdit: { range: c.span, newText: c.label },
  }));
});

connection.onDefinition(async ({ textDocument, position }) => {
  await ready;
  const d = analysis?.definition(textDocument.uri, position);
  return d ? { uri: d.uri, range: d.span } : null;
});

/** A new template: a child of base.html when the app has one, else a small page. */
function templateStub(): string {
  return analysis?.ws.templateNamed('base.html')
    ? '{% extends "base.html" %}\n\n{% block content %}\n{% endblock %}\n'
    : '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{{ title }}</title></head>\n<body>\n</body>\n</html>\n';
}

connection.onCodeAction(async ({ textDocument, context }) => {
  await ready;
  const actions: CodeAction[] = [];
  for (const d of context.diagnostics) {
    const data = d.data as { rule?: RuleId; fix?: FlaskDiagnostic['fix'] } | undefined;
    if (!data?.rule || !analysis) continue;
    const fix = data.fix;
    if (fix?.edit) {
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [textDocument.uri]: [{ range: fix.edit.span, newText: fix.edit.text }] } } });
    } else if (fix?.createTemplate) {
      const file = analysis.templatePathFor(textDocument.uri, fix.createTemplate);
      const uri = pathToFileURL(file).href;
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { documentChanges: [{ kind: 'create', uri, options: { ignoreIfExists: true } }, { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: templateStub() }] }] },
      });
    }
    const teach = RULES[data.rule].teach;
    if (teach) actions.push({ title: `Learn why: ${data.rule}`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: 'Open the walkthrough step', command: 'flaskTutor.openWalkthrough', arguments: [teach.chapter, teach.step] } });
  }
  return actions;
});

connection.onCodeLens(async ({ textDocument }) => {
  await ready;
  const uri = textDocument.uri;
  return (analysis?.routes() ?? [])
    .filter((r) => r.uri === normalizeUri(uri))
    .flatMap((r) => [
      { range: r.decorator, command: { title: `${r.methods.join(' ')} ${r.rule}`, command: 'flaskTutor.routes.focus', arguments: [] } },
      { range: r.decorator, command: { title: '$(play) Try it', command: 'flaskTutor.tryRoute', arguments: [r.methods[0], r.rule] } },
    ]);
});

connection.onRequest(RoutesRequest, async (): Promise<RouteInfo[]> => {
  await ready;
  return (analysis?.routes() ?? []).map((r) => ({ endpoint: r.endpoint, blueprint: r.blueprint, rule: r.rule, methods: r.methods, uri: r.uri, range: r.span, decoratorRange: r.decorator }));
});

connection.listen();
