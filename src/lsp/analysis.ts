/**
 * The language server's state without the protocol: open documents (a Python file's top-level
 * statements re-parsed only when their text changes, src/flask/fileAnalysis.ts), the index of every Python and template file of the
 * workspace, and the answers the server sends (diagnostics, completions, definitions, routes) in
 * our own types. No `vscode`; the LSP adapter is ./server.ts. Tested over real LSP and directly.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { indexJinja, JinjaIndex, typingContext } from '../flask/jinja';
import { indexPythonText, PythonFileAnalyzer } from '../flask/fileAnalysis';
import { FlaskDiagnostic, fileDiagnostics, jinjaDiagnostics, RuleId, RULES, Severity } from '../flask/rules';
import { lineStarts } from '../flask/lines';
import type { Position, PythonParser, Span } from '../flask/syntax';
import { FlaskWorkspace, templateName } from '../flask/workspace';

/** A text edit as LSP describes one: a range of the old text and the new text. */
export interface Change {
  span?: Span;
  text: string;
}

export interface Settings {
  enabled: boolean;
  /** Per rule: a severity, or "off". */
  severity: Partial<Record<RuleId, Severity | 'off'>>;
}

export interface Completion {
  label: string;
  kind: 'endpoint' | 'parameter' | 'template' | 'block';
  detail?: string;
  /** Replaces the text typed so far. */
  span: Span;
}

interface OpenDoc {
  uri: string;
  text: string;
  lineStarts: number[];
  /** Python: the statement cache, and the diagnostics read from the syntax. */
  analyzer?: PythonFileAnalyzer;
  local?: FlaskDiagnostic[];
  jinja?: JinjaIndex;
}

const SKIP = new Set(['.git', 'node_modules', '.venv', 'venv', 'env', '__pycache__', '.flasktutor-backups', 'site-packages', '.mypy_cache', '.pytest_cache', 'dist', 'build', '.tox']);
const TEMPLATE_EXT = /\.(html|htm|jinja|jinja2|j2|txt|xml)$/;

export const normalizeUri = (uri: string): string => {
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
};


const offsetAt = (doc: OpenDoc, p: Position): number => Math.min(doc.text.length, (doc.lineStarts[p.line] ?? doc.text.length) + p.character);

const contains = (s: Span, p: Position): boolean =>
  (p.line > s.start.line || (p.line === s.start.line && p.character >= s.start.character)) && (p.line < s.end.line || (p.line === s.end.line && p.character <= s.end.character));

export class Analysis {
  readonly ws = new FlaskWorkspace();
  private readonly open = new Map<string, OpenDoc>();
  settings: Settings = { enabled: true, severity: {} };

  constructor(private readonly parser: PythonParser) {}

  /** Indexes every Python and template file under `folders` (paths); returns the count. */
  indexFolders(folders: string[], limit = 5000): number {
    let count = 0;
    const walk = (dir: string) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (count >= limit) return;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP.has(e.name) && !e.name.startsWith('.')) walk(full);
        } else if (e.isFile() && (e.name.endsWith('.py') || TEMPLATE_EXT.test(e.name))) {
          if (this.fileChanged(pathToFileURL(full).href)) count++;
        }
      }
    };
    folders.forEach(walk);
    return count;
  }

  /** A file changed on disk (or appeared): re-index it unless it is open. */
  fileChanged(uri: string, text?: string): boolean {
    uri = normalizeUri(uri);
    if (this.open.has(uri)) return false;
    const file = fileURLToPath(uri);
    if (file.endsWith('.py')) {
      try {
        this.ws.setPython(uri, indexPythonText(text ?? fs.readFileSync(file, 'utf8'), this.parser));
        return true;
      } catch {
        return false;
      }
    }
    const name = templateName(file, this.ws.templateRoots());
    if (name && TEMPLATE_EXT.test(file)) {
      this.ws.setTemplate({ uri, name });
      return true;
    }
    return false;
  }

  fileDeleted(uri: string): void {
    uri = normalizeUri(uri);
    this.ws.removePython(uri);
    this.ws.removeTemplate(uri);
  }

  private isPython = (uri: string) => uri.endsWith('.py');

  openDoc(uri: string, text: string): void {
    uri = normalizeUri(uri);
    const doc: OpenDoc = { uri, text, lineStarts: lineStarts(text) };
    this.open.set(uri, doc);
    this.reanalyse(doc);
    const file = fileURLToPath(uri);
    const name = templateName(file, this.ws.templateRoots());
    if (name) this.ws.setTemplate({ uri, name });
  }

  /** Applies LSP content changes in order, then re-reads the statements whose text changed. */
  changeDoc(uri: string, changes: Change[]): void {
    const doc = this.open.get(normalizeUri(uri));
    if (!doc) return;
    for (const c of changes) {
      if (!c.span) {
        doc.text = c.text;
        doc.lineStarts = lineStarts(doc.text);
        continue;
      }
      const start = offsetAt(doc, c.span.start);
      const oldEnd = offsetAt(doc, c.span.end);
      doc.text = doc.text.slice(0, start) + c.text + doc.text.slice(oldEnd);
      doc.lineStarts = lineStarts(doc.text);
    }
    this.reanalyse(doc);
  }

  closeDoc(uri: string): void {
    uri = normalizeUri(uri);
    this.open.delete(uri);
    // What is on disk counts again.
    if (fs.existsSync(fileURLToPath(uri))) this.fileChanged(uri);
    else this.fileDeleted(uri);
  }

  openUris(): string[] {
    return [...this.open.keys()];
  }

  text(uri: string): string | undefined {
    return this.open.get(normalizeUri(uri))?.text;
  }

  private reanalyse(doc: OpenDoc): void {
    if (this.isPython(doc.uri)) {
      doc.analyzer ??= new PythonFileAnalyzer();
      const { index, local } = doc.analyzer.analyse(doc.text, this.parser);
      doc.local = local;
      this.ws.setPython(doc.uri, index);
    } else {
      doc.jinja = indexJinja(doc.text);
    }
  }

  /** Diagnostics of an open document, after the settings (off rules dropped, severities mapped). */
  diagnostics(uri: string): FlaskDiagnostic[] {
    const doc = this.open.get(normalizeUri(uri));
    if (!doc || !this.settings.enabled) return [];
    let found: FlaskDiagnostic[] = [];
    if (doc.analyzer) {
      const index = this.ws.python(doc.uri);
      if (index) found = [...(doc.local ?? []), ...fileDiagnostics(index, this.ws, doc.uri)];
    } else if (doc.jinja) found = jinjaDiagnostics(doc.jinja, this.ws);
    return found.flatMap((d) => {
      const s = this.settings.severity[d.rule];
      if (s === 'off') return [];
      return [{ ...d, severity: s ?? RULES[d.rule].severity }];
    });
  }

  completions(uri: string, at: Position): Completion[] {
    const doc = this.open.get(normalizeUri(uri));
    if (!doc) return [];
    const lineStart = doc.lineStarts[at.line] ?? 0;
    const before = doc.text.slice(lineStart, lineStart + at.character);
    const ctx = typingContext(before);
    if (!ctx) return [];
    const span: Span = { start: { line: at.line, character: at.character - ctx.typed.length }, end: at };
    switch (ctx.kind) {
      case 'endpoint': {
        const own = this.isPython(doc.uri) ? this.ws.blueprintOfFile(doc.uri) : undefined;
        const items: Completion[] = this.ws.endpoints().map((e) => ({ label: e.name, kind: 'endpoint', detail: `${e.methods.join(', ')} ${e.rules[0]}`, span }));
        if (own) for (const e of this.ws.endpoints().filter((x) => x.blueprint === own)) items.push({ label: e.name.slice(own.length), kind: 'endpoint', detail: `${e.methods.join(', ')} ${e.rules[0]}`, span });
        items.push({ label: 'static', kind: 'endpoint', detail: 'static files: filename=...', span });
        return items;
      }
      case 'url-param': {
        const name = this.isPython(doc.uri) ? this.ws.resolveEndpoint(ctx.endpoint, doc.uri) : ctx.endpoint;
        const e = this.ws.endpoint(name);
        const params = name === 'static' ? ['filename'] : (e?.params ?? []);
        return params.map((p) => ({ label: `${p}=`, kind: 'parameter', detail: e ? `${e.required.includes(p) ? 'required by' : 'in'} ${e.rules[0]}` : undefined, span }));
      }
      case 'template':
        return this.ws.templateFiles().map((t) => ({ label: t.name, kind: 'template', span }));
      case 'block': {
        const parent = doc.jinja?.refs.find((r) => r.kind === 'template' && /extends/.test(doc.text.slice(Math.max(0, offsetAt(doc, r.span.start) - 30), offsetAt(doc, r.span.start))));
        const file = parent && this.ws.templateNamed(parent.name);
        if (!file) return [];
        const text = this.open.get(file.uri)?.text ?? safeRead(fileURLToPath(file.uri));
        return indexJinja(text).blocks.map((b) => ({ label: b.name, kind: 'block', detail: `block of ${parent!.name}`, span }));
      }
    }
  }

  /** Where the endpoint or template named at `at` is defined. */
  definition(uri: string, at: Position): { uri: string; span: Span } | undefined {
    const doc = this.open.get(normalizeUri(uri));
    if (!doc) return undefined;
    const zero: Span = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const endpointAt = (name: string) => {
      const e = this.ws.endpoint(name);
      return e ? { uri: e.uri, span: e.viewSpan } : undefined;
    };
    const templateAt = (name: string) => {
      const t = this.ws.templateNamed(name);
      return t ? { uri: t.uri, span: zero } : undefined;
    };
    if (doc.analyzer) {
      const index = this.ws.python(doc.uri);
      const call = index?.urlFors.find((c) => contains(c.span, at));
      if (call) return endpointAt(this.ws.resolveEndpoint(call.endpoint, doc.uri));
      const t = index?.templates.find((c) => contains(c.span, at));
      if (t) return templateAt(t.name);
      return undefined;
    }
    const ref = doc.jinja?.refs.find((r) => contains(r.span, at));
    if (!ref) return undefined;
    return ref.kind === 'endpoint' ? endpointAt(ref.name) : templateAt(ref.name);
  }

  /** Where a template created by a quick fix goes: the templates/ folder beside the file that names it. */
  templatePathFor(uri: string, name: string): string {
    const file = fileURLToPath(normalizeUri(uri));
    const existing = this.ws.templateFiles()[0];
    if (existing) {
      const p = fileURLToPath(existing.uri);
      return path.join(p.slice(0, p.length - existing.name.length), name);
    }
    return path.join(path.dirname(file), 'templates', name);
  }

  /** The routes, for the Routes view and CodeLenses. */
  /** How many routes the workspace has (without building the list). */
  routeCount(): number {
    return this.ws.routeCount();
  }

  routes(): { endpoint: string; blueprint?: string; rule: string; methods: string[]; uri: string; span: Span; decorator: Span }[] {
    return this.ws.endpoints().flatMap((e) =>
      e.routes.map((r, i) => ({ endpoint: e.name, blueprint: e.blueprint, rule: e.rules[i], methods: r.methods, uri: e.routeUris[i], span: r.viewSpan, decorator: r.decoratorSpan })),
    );
  }
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
