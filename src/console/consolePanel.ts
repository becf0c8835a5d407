/**
 * The request console: a panel beside the code where the learner sends a request to their own app
 * and sees the answer (status, time, headers, pretty JSON) and the view that gave it (a link into
 * the code), with no server running: requests go through a console session
 * (src/engine/consoleSession.ts), Verify's loader and isolation, with a temporary database that
 * lasts until "New session"; or to a server the learner runs (Run the App). Opened by **Try It** (a route of the Routes view, the CodeLens above a
 * route, or the command). Messages with media/console/console.js:
 *   webview → host  {type:'ready'} {type:'send', form: ConsoleForm, target?: server URL} {type:'reset'} {type:'open', location}
 *   host → webview  {type:'init', routes, form?, servers, appLabel} {type:'busy', text} {type:'response', request, shown, endpoint, answered,
 *                   view, error, errorLocation, form}
 *                   {type:'problem', text} {type:'session', text}
 */
import { randomBytes } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { samplePath } from '../core/apiExport';
import { buildRequest, ConsoleForm, formForRoute, METHODS, showResponse } from '../core/consoleForm';
import type { Location } from '../core/protocol';
import { ConsoleError, ConsoleSession } from '../engine/consoleSession';
import type { Log } from '../log';
import type { PythonLocator } from '../verify/python';

export const CONSOLE_VIEW_TYPE = 'flaskTutor.console';

export interface TryTarget {
  method?: string;
  rule?: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export class ConsolePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private session: ConsoleSession | undefined;
  private folder: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private pendingForm: ConsoleForm | undefined;
  routes: { method: string; rule: string }[] = [];
  /** Base URLs of servers the learner runs (Run the App): the console can send to one instead. */
  servers: () => string[] = () => [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly python: PythonLocator,
  ) {}

  /** For tests: the last answer shown, as the panel got it. */
  lastMessage: unknown;

  /** Opens (or reveals) the console for the app in `folder`, optionally on one route. */
  open(folder: string, target?: TryTarget): void {
    if (this.folder !== folder) {
      this.session?.dispose();
      this.session = undefined;
      this.folder = folder;
    }
    const form = target?.rule ? formForRoute((target.method ?? 'GET').toUpperCase(), samplePath(target.rule)) : undefined;
    if (this.panel) {
      this.panel.title = this.title();
      this.panel.reveal(vscode.ViewColumn.Beside);
      void this.panel.webview.postMessage({ type: 'init', routes: this.routes, form, servers: this.servers(), appLabel: vscode.l10n.t('Your app, no server (temporary database)') });
      return;
    }
    this.pendingForm = form;
    const panel = vscode.window.createWebviewPanel(CONSOLE_VIEW_TYPE, this.title(), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media', 'console')],
    });
    this.panel = panel;
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m), undefined, this.disposables);
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.session?.dispose();
      this.session = undefined;
    }, undefined, this.disposables);
  }

  private title(): string {
    return vscode.l10n.t('Try: {0}', path.basename(this.folder ?? ''));
  }

  private post(message: unknown): void {
    this.lastMessage = message;
    void this.panel?.webview.postMessage(message);
  }

  /** Sends a request to a server the learner runs, with fetch; the answer shaped like the console's. */
  private async sendToServer(base: string, request: ReturnType<typeof buildRequest> & { request: object }): Promise<void> {
    const r = request.request as { method: string; path: string; headers: Record<string, string>; body?: { kind: string; text?: string; fields?: Record<string, string> } };
    const headers = { ...r.headers };
    let body: string | undefined;
    if (r.body?.kind === 'json') {
      body = r.body.text;
      headers['Content-Type'] ??= 'application/json';
    } else if (r.body?.kind === 'text') body = r.body.text;
    else if (r.body?.kind === 'form') {
      body = new URLSearchParams(r.body.fields).toString();
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    }
    this.post({ type: 'busy', text: vscode.l10n.t('Sending {0} {1}…', r.method, `${base}${r.path}`) });
    const started = performance.now();
    try {
      const response = await fetch(`${base}${r.path}`, { method: r.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(15000) });
      const type = response.headers.get('content-type') ?? '';
      const text = await response.text();
      const shown = showResponse({
        id: 0,
        status: response.status,
        statusText: `${response.status} ${response.statusText}`.trim(),
        headers: [...response.headers.entries()],
        body: text.slice(0, 1024 * 1024),
        bodyEncoding: 'text',
        truncated: text.length > 1024 * 1024,
        isJson: /json/.test(type),
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
      this.post({ type: 'response', request: `${r.method} ${r.path}`, shown, endpoint: null, answered: vscode.l10n.t('Answered by the server at {0}.', base), view: null, error: null, errorLocation: null, form: this.lastForm });
    } catch (e) {
      this.post({ type: 'problem', text: vscode.l10n.t('The server at {0} did not answer: {1}', base, e instanceof Error ? e.message : String(e)) });
    }
  }

  private lastForm: ConsoleForm | undefined;

  /** Sends a form as the panel would (tests drive the console through this too); `target` a server's URL, or the app itself. */
  async send(form: ConsoleForm, target?: string): Promise<void> {
    const built = buildRequest(form);
    if ('error' in built) {
      this.post({ type: 'problem', text: built.error });
      return;
    }
    this.lastForm = form;
    if (target && this.servers().includes(target)) {
      await this.sendToServer(target, built);
      return;
    }
    if (!vscode.workspace.isTrusted) {
      this.post({ type: 'problem', text: vscode.l10n.t('Sending a request runs your app: trust this folder first (Restricted Mode runs no code).') });
      return;
    }
    if (!this.session) {
      const interpreter = await this.python.resolve(vscode.Uri.file(this.folder!));
      this.session = new ConsoleSession({
        python: interpreter.path,
        pluginDir: vscode.Uri.joinPath(this.extensionUri, 'python').fsPath,
        appDir: this.folder!,
        onOutput: (text) => this.log.trace(`[console] ${text.trimEnd()}`),
      });
      this.post({ type: 'session', text: vscode.l10n.t('Loading your app (a fresh temporary database)…') });
    }
    this.post({ type: 'busy', text: vscode.l10n.t('Sending {0} {1}…', built.request.method, built.request.path) });
    try {
      const response = await this.session.send(built.request);
      this.log.info(`Console: ${built.request.method} ${built.request.path} → ${response.status} (${response.ms} ms)`);
      this.post({
        type: 'response',
        request: `${built.request.method} ${built.request.path}`,
        shown: showResponse(response),
        endpoint: response.endpoint ?? null,
        answered: response.endpoint ? vscode.l10n.t('Answered by the view {0}, in', response.endpoint) : vscode.l10n.t('No view answered: no route matches this method and path.'),
        view: response.view ? this.where(response.view) : null,
        error: response.error ? vscode.l10n.t('Your code raised {0}, in', response.error) : null,
        errorLocation: response.errorLocation ? this.where(response.errorLocation) : null,
        form,
      });
    } catch (e) {
      const error = e instanceof ConsoleError ? e : new ConsoleError(e instanceof Error ? e.message : String(e));
      this.post({ type: 'problem', text: error.message, location: error.location ? this.where(error.location) : null });
    }
  }

  /** A location the panel can show and send back: the file relative to the app's folder. */
  private where(loc: Location | { file: string; line: number }): { file: string; line: number; label: string } {
    const rel = this.folder ? path.relative(this.folder, loc.file) : loc.file;
    return { file: loc.file, line: loc.line, label: `${rel.startsWith('..') ? loc.file : rel}:${loc.line}` };
  }

  private async onMessage(m: unknown): Promise<void> {
    if (typeof m !== 'object' || m === null) return;
    const msg = m as { type?: string; form?: ConsoleForm; target?: unknown; location?: { file?: unknown; line?: unknown } };
    switch (msg.type) {
      case 'ready':
        this.post({ type: 'init', routes: this.routes, form: this.pendingForm, servers: this.servers(), appLabel: vscode.l10n.t('Your app, no server (temporary database)') });
        this.pendingForm = undefined;
        return;
      case 'send':
        if (msg.form && typeof msg.form === 'object') await this.send(msg.form, typeof msg.target === 'string' ? msg.target : undefined);
        return;
      case 'reset':
        this.session?.reset();
        this.post({ type: 'session', text: vscode.l10n.t('New session: the next request loads your app again, with an empty database and no cookies.') });
        return;
      case 'open': {
        const file = typeof msg.location?.file === 'string' ? msg.location.file : undefined;
        const line = typeof msg.location?.line === 'number' ? msg.location.line : 1;
        // Only files of the app's folder: the webview names the place, the host decides.
        if (!file || !this.folder || path.relative(this.folder, file).startsWith('..')) return;
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
        const pos = new vscode.Position(Math.max(0, line - 1), 0);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
        return;
      }
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const media = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'console', name)).toString();
    const csp = ["default-src 'none'", `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    const t = (s: string) => escapeHtml(vscode.l10n.t(s));
    const options = METHODS.map((m) => `<option>${m}</option>`).join('');
    return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${media('console.css')}">
<title>${escapeHtml(this.title())}</title>
</head>
<body>
<form id="request" aria-label="${t('Request')}">
  <div class="line">
    <label class="visually-hidden" for="method">${t('Method')}</label>
    <select id="method">${options}</select>
    <label class="visually-hidden" for="path">${t('Path')}</label>
    <input id="path" type="text" value="" placeholder="/todos" spellcheck="false" autocomplete="off" list="routes" aria-describedby="path-help">
    <datalist id="routes"></datalist>
    <button type="submit" id="send" class="primary" title="${t('Send (Ctrl+Enter)')}">${t('Send')}</button>
  </div>
  <div class="line">
    <label for="target">${t('Send to')}</label>
    <select id="target"></select>
  </div>
  <p id="path-help" class="help">${t('Path and query, for example /todos?done=true. Your app answers with no server running; its database is a temporary one.')}</p>
  <fieldset>
    <legend>${t('Body')}</legend>
    <label><input type="radio" name="bodyKind" value="none" checked> ${t('None')}</label>
    <label><input type="radio" name="bodyKind" value="json"> JSON</label>
    <label><input type="radio" name="bodyKind" value="form"> ${t('Form (name=value per line)')}</label>
    <label><input type="radio" name="bodyKind" value="text"> ${t('Text')}</label>
  </fieldset>
  <label class="visually-hidden" for="body">${t('Body')}</label>
  <textarea id="body" rows="6" spellcheck="false"></textarea>
  <details>
    <summary>${t('Headers and authentication')}</summary>
    <label for="bearer">${t('Bearer token (sent as Authorization: Bearer …)')}</label>
    <input id="bearer" type="text" spellcheck="false" autocomplete="off">
    <label for="headers">${t('Headers, one "Name: value" per line')}</label>
    <textarea id="headers" rows="3" spellcheck="false"></textarea>
    <p class="help">${t('Cookies, like a login session, are kept between requests until New session.')}</p>
  </details>
  <div class="line">
    <button type="button" id="reset">${t('New session')}</button>
    <span id="session" class="help" role="status" aria-live="polite"></span>
  </div>
</form>
<section id="response" aria-labelledby="response-title">
  <h2 id="response-title">${t('Response')}</h2>
  <p id="status" role="status" aria-live="polite">${t('Send a request to see your app\'s answer.')}</p>
  <p id="answered" hidden></p>
  <p id="error" class="error" hidden></p>
  <details id="response-headers-box" hidden><summary>${t('Headers')}</summary><pre id="response-headers"></pre></details>
  <pre id="response-body" tabindex="0" aria-label="${t('Response body')}"></pre>
</section>
<section aria-labelledby="history-title">
  <h2 id="history-title">${t('History')}</h2>
  <ol id="history"></ol>
</section>
<script nonce="${nonce}" src="${media('console.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    this.session?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
