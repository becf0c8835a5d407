/**
 * The exercise brief: the exercise's README.md rendered with markdown-it (HTML disabled) in a
 * webview with a strict CSP, theme colours, real <button>s (keyboard reachable), and a status
 * line (`role="status"`, `aria-live="polite"`) that follows verifies live. One panel, reused.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import MarkdownIt from 'markdown-it';
import * as path from 'path';
import * as vscode from 'vscode';
import { chapterDisplayName } from '../core/chapters';
import { hintAvailability } from '../core/hints';
import type { ExerciseProgress } from '../core/progress';
import type { Exercise } from '../engine/catalog';

/** The brief's webview type: VS Code restores panels of it after a reload (registerWebviewPanelSerializer). */
export const BRIEF_VIEW_TYPE = 'flaskTutor.brief';

export type BriefAction = 'start' | 'verify' | 'hint' | 'open' | 'reset' | 'restore' | 'compare';
const ACTIONS: readonly BriefAction[] = ['start', 'verify', 'hint', 'open', 'reset', 'restore', 'compare'];

export interface BriefTarget {
  exercise: Exercise;
  /** The learner's folder, when the exercise is started. */
  folder?: vscode.Uri;
}

export interface BriefHost {
  record(exerciseId: string): ExerciseProgress | undefined;
  hasBackups(folder: vscode.Uri): Promise<boolean>;
  /** The check authors' hints for the failures of the last verify (shown before the ladder). */
  failureHints(exerciseId: string): readonly string[];
  onAction(action: BriefAction, target: BriefTarget): void;
  onLink(href: string, target: BriefTarget): void;
}

interface BriefState {
  type: 'state';
  started: boolean;
  busy: boolean;
  statusText: string;
  statusKind: 'idle' | 'busy' | 'passed' | 'failing';
  hintLabel: string;
  hintsHtml: string;
  /** Hints written for the failures of the last verify, first of all hints. */
  failureHintsHtml: string;
  lockText: string;
  hasBackups: boolean;
  focusHint?: number;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(vscode.env.language, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The status line's text for an exercise. Exported for tests. */
export function statusText(exercise: Exercise, record: ExerciseProgress | undefined, started: boolean): { text: string; kind: BriefState['statusKind'] } {
  if (!record && !started) return { text: vscode.l10n.t('Not started. Start the exercise to get its files in your workspace.'), kind: 'idle' };
  if (!record) return { text: vscode.l10n.t('Started. Verify when you are ready.'), kind: 'idle' };
  const attempts = vscode.l10n.t('Verifies: {0}. Hints used: {1} of {2}.', record.attempts, record.hintsUsed, exercise.hints.length);
  if (record.status === 'passed') {
    return { text: `✓ ${vscode.l10n.t('Passed on {0}.', formatDate(record.firstPassAt ?? record.lastVerifyAt ?? record.startedAt))} ${attempts}`, kind: 'passed' };
  }
  if (!record.lastChecks) return { text: `${vscode.l10n.t('Started. Verify when you are ready.')} ${attempts}`, kind: 'idle' };
  if (record.lastAppError) return { text: `${vscode.l10n.t('Last verify: your app does not load (see the Problems view).')} ${attempts}`, kind: 'failing' };
  const { passed, total } = record.lastChecks;
  return { text: `${vscode.l10n.t('Last verify: {0} of {1} checks pass.', passed, total)} ${attempts}`, kind: passed < total ? 'failing' : 'idle' };
}

export class BriefPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private target: BriefTarget | undefined;
  private busy = false;
  private focusHint: number | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly md: MarkdownIt;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: BriefHost,
  ) {
    this.md = new MarkdownIt({ html: false, linkify: true });
    const defaultImage = this.md.renderer.rules.image!;
    this.md.renderer.rules.image = (tokens, idx, options, env: { webview?: vscode.Webview; dir?: string }, self) => {
      const token = tokens[idx];
      const src = token.attrGet('src') ?? '';
      if (env.webview && env.dir && src && !/^[a-z][a-z0-9+.-]*:/i.test(src) && !src.startsWith('/')) {
        const file = path.join(env.dir, ...decodeURIComponent(src.replace(/[#?].*$/, '')).split('/'));
        if (!path.relative(env.dir, file).startsWith('..')) token.attrSet('src', env.webview.asWebviewUri(vscode.Uri.file(file)).toString());
      }
      return defaultImage(tokens, idx, options, env, self);
    };
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }

  /** The exercise the panel shows, if it is open. */
  get current(): BriefTarget | undefined {
    return this.panel ? this.target : undefined;
  }

  get visible(): boolean {
    return !!this.panel?.visible;
  }

  /** A brief panel VS Code restored after a reload (see registerBriefSerializer). */
  restore(panel: vscode.WebviewPanel, target: BriefTarget): void {
    this.panel?.dispose();
    this.target = target;
    this.busy = false;
    panel.title = vscode.l10n.t('Brief: {0}', target.exercise.title);
    panel.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media', 'course'), vscode.Uri.file(target.exercise.dir)],
    };
    this.adopt(panel, target);
  }

  private adopt(panel: vscode.WebviewPanel, target: BriefTarget): void {
    this.panel = panel;
    panel.onDidDispose(() => this.panel === panel && (this.panel = undefined), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), undefined, this.disposables);
    panel.webview.html = this.html(panel.webview, target);
  }

  show(target: BriefTarget, options: { preserveFocus?: boolean; column?: vscode.ViewColumn; focusHint?: number } = {}): void {
    const sameExercise = this.target?.exercise.id === target.exercise.id;
    this.target = target;
    this.focusHint = options.focusHint;
    if (!sameExercise) this.busy = false;
    const mediaRoot = vscode.Uri.joinPath(this.extensionUri, 'media', 'course');
    const webviewOptions: vscode.WebviewOptions = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [mediaRoot, vscode.Uri.file(target.exercise.dir)],
    };
    const title = vscode.l10n.t('Brief: {0}', target.exercise.title);
    if (!this.panel) {
      const alone = vscode.window.tabGroups.all.length === 1 && (options.column ?? vscode.ViewColumn.Beside) === vscode.ViewColumn.Beside;
      const panel = vscode.window.createWebviewPanel(
        BRIEF_VIEW_TYPE,
        title,
        { viewColumn: options.column ?? vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus ?? false },
        { ...webviewOptions, enableFindWidget: true, retainContextWhenHidden: false },
      );
      this.adopt(panel, target);
      // The brief opened a second column: keep the code wide (about 2/3), the brief beside it.
      if (alone) {
        void vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{ size: 0.66 }, { size: 0.34 }] }).then(undefined, () => undefined);
      }
    } else {
      this.panel.title = title;
      if (!sameExercise) {
        this.panel.webview.options = webviewOptions;
        this.panel.webview.html = this.html(this.panel.webview, target);
      } else {
        void this.update();
      }
      this.panel.reveal(options.column ?? this.panel.viewColumn, options.preserveFocus ?? false);
    }
  }

  /** Updates the status of the shown exercise (after a verify, a hint, a start, a reset). */
  refresh(target?: BriefTarget): void {
    if (!this.panel || !this.target) return;
    if (target && target.exercise.id !== this.target.exercise.id) return;
    if (target) this.target = target;
    void this.update();
  }

  setBusy(exerciseId: string, busy: boolean): void {
    if (this.target?.exercise.id !== exerciseId) return;
    this.busy = busy;
    void this.update();
  }

  private onMessage(message: unknown): void {
    if (!this.target || typeof message !== 'object' || message === null) return;
    const m = message as { type?: unknown; action?: unknown; href?: unknown };
    if (m.type === 'ready') void this.update();
    else if (m.type === 'action' && typeof m.action === 'string' && (ACTIONS as readonly string[]).includes(m.action)) {
      this.host.onAction(m.action as BriefAction, this.target);
    } else if (m.type === 'link' && typeof m.href === 'string') this.host.onLink(m.href, this.target);
  }

  private async update(): Promise<void> {
    const panel = this.panel;
    const target = this.target;
    if (!panel || !target) return;
    const state = await this.state(target);
    void panel.webview.postMessage(state);
  }

  private async state(target: BriefTarget): Promise<BriefState> {
    const { exercise, folder } = target;
    const record = this.host.record(exercise.id);
    const started = !!folder;
    const status = this.busy ? { text: vscode.l10n.t('Verifying…'), kind: 'busy' as const } : statusText(exercise, record, started);
    const hints = exercise.hints;
    const a = hintAvailability(hints.length, { hintsUsed: record?.hintsUsed ?? 0, failsSinceHint: record?.failsSinceHint ?? 0, passed: record?.status === 'passed' });
    const shown = a.kind === 'none' ? 0 : a.shown;
    const env = { webview: this.panel?.webview, dir: exercise.dir };
    const hintsHtml = hints
      .slice(0, shown)
      .map(
        (hint, i) =>
          `<li id="hint-${i + 1}" tabindex="-1"><h3>${escapeHtml(vscode.l10n.t('Hint {0} of {1}', i + 1, hints.length))}</h3>${this.md.render(hint, env)}</li>`,
      )
      .join('');
    let hintLabel = '';
    let lockText = '';
    switch (a.kind) {
      case 'available':
        hintLabel = vscode.l10n.t('Show hint {0} of {1}', a.next, a.total);
        break;
      case 'locked':
        hintLabel = vscode.l10n.t('Hint {0} of {1} (locked)', a.next, a.total);
        lockText = vscode.l10n.t('Hint {0} of {1} unlocks after a verify that does not pass: try a change, then verify.', a.next, a.total);
        break;
      case 'all-shown':
        hintLabel = vscode.l10n.t('All hints shown ({0} of {1})', a.total, a.total);
        break;
    }
    const failureHintsHtml = this.host
      .failureHints(exercise.id)
      .map((hint) => `<li>${this.md.render(hint, env)}</li>`)
      .join('');
    const focusHint = this.focusHint;
    this.focusHint = undefined;
    return {
      type: 'state',
      started,
      busy: this.busy,
      statusText: status.text,
      statusKind: status.kind,
      hintLabel,
      hintsHtml,
      failureHintsHtml,
      lockText,
      hasBackups: folder ? await this.host.hasBackups(folder) : false,
      focusHint,
    };
  }

  private html(webview: vscode.Webview, target: BriefTarget): string {
    const { exercise } = target;
    const nonce = randomBytes(16).toString('base64');
    const media = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'course', name));
    let brief: string;
    try {
      brief = this.md.render(withoutTitle(fs.readFileSync(exercise.briefPath, 'utf8'), exercise.title), { webview, dir: exercise.dir });
    } catch {
      brief = `<p>${escapeHtml(exercise.summary)}</p>`;
    }
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} https: data:`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    const t = vscode.l10n.t;
    const meta = `${chapterDisplayName(exercise.chapter)} · ${t('about {0} min', exercise.minutes)}`;
    const started = !!target.folder;
    const button = (action: BriefAction, label: string, show: boolean, primary = false) =>
      `<button type="button" id="${action}" data-action="${action}"${primary ? ' class="primary"' : ''}${show ? '' : ' hidden'}>${escapeHtml(label)}</button>`;
    return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${media('brief.css').toString()}">
<title>${escapeHtml(exercise.title)}</title>
</head>
<body data-exercise="${escapeHtml(exercise.id)}">
<header>
<p class="meta">${escapeHtml(meta)}</p>
<h1>${escapeHtml(exercise.title)}</h1>
<p id="status" role="status" aria-live="polite" data-kind="idle">${escapeHtml(statusText(exercise, this.host.record(exercise.id), started).text)}</p>
<div class="actions" role="group" aria-label="${escapeHtml(t('Exercise actions'))}">
${button('start', t('Start exercise'), !started, true)}
${button('verify', t('Verify'), started, true)}
${button('hint', t('Show hint'), exercise.hints.length > 0)}
${button('open', t('Open main file'), started)}
${button('compare', t('Compare with solution…'), true)}
${button('reset', t('Reset…'), started)}
${button('restore', t('Restore backup…'), false)}
</div>
<section id="failure-hints" aria-labelledby="failure-hints-title" hidden>
<h2 id="failure-hints-title">${escapeHtml(t('About your last verify'))}</h2>
<ul id="failure-hint-list"></ul>
</section>
</header>
<main>
${brief}
</main>
<section id="hints" aria-labelledby="hints-title" hidden>
<h2 id="hints-title">${escapeHtml(t('Hints'))}</h2>
<ol class="hints" id="hint-list"></ol>
<p class="lock" id="hint-lock" hidden></p>
</section>
<script nonce="${nonce}" src="${media('brief.js').toString()}"></script>
</body>
</html>`;
  }
}

/** The page header already shows the title: drop a leading `# Title` line that repeats it. */
function withoutTitle(markdown: string, title: string): string {
  const m = /^\s*#\s+(.+?)\s*#*\s*(?:\r?\n|$)/.exec(markdown);
  return m && m[1].trim().toLowerCase() === title.trim().toLowerCase() ? markdown.slice(m[0].length) : markdown;
}
