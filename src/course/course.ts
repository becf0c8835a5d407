/**
 * The course engine's VS Code adapter, wired: builds the progress store, the brief, the status
 * bar, the Course view and the walkthrough binding, registers the course commands and follows
 * the editor, the window and every verify. The commands live in one module per feature
 * (start, verify, backups, hints, solution, brief, progress, Python, walkthroughs) over the shared
 * ./session.ts; the rules in src/core (progress, hints, chapters, walkthroughGen); file work in
 * ./files.ts; verifying in src/verify (VerifyController).
 */
import * as vscode from 'vscode';
import { COURSE_COMMANDS } from '../core/courseCommands';
import type { HintAvailability } from '../core/hints';
import type { ProgressState } from '../core/progress';
import type { Catalog } from '../engine/catalog';
import { showError } from '../log';
import { resetExercise, restoreBackup } from './backupCommands';
import { BRIEF_VIEW_TYPE, BriefPanel } from './brief';
import { onBriefAction, onBriefLink, openBrief } from './briefCommands';
import { CourseTreeProvider, COURSE_VIEW_ID, isTreeNode } from './courseView';
import { Backup, listBackups } from './files';
import { findExerciseFolders } from './folders';
import { showHint } from './hintCommands';
import { exportProgress, importProgress, resetProgress, showProgress } from './progressCommands';
import { ProgressStore } from './progressStore';
import { checkPython } from './pythonCommands';
import { CourseCommands, CourseDeps, CourseSession } from './session';
import { SOLUTION_SCHEME, SolutionProvider } from './solution';
import { compareWithSolution } from './solutionCommands';
import { resumePendingStart, startExercise } from './startCommands';
import { CourseStatusBar } from './statusBar';
import type { Prompts } from './ui';
import { onVerified, verifyExercise } from './verifyCommands';
import { contributedSteps, openWalkthrough } from './walkthroughCommands';
import { EDITOR_IN_EXERCISE_KEY, WalkthroughSync } from './walkthroughSync';

export type { CourseDeps } from './session';

/** What tests (and the composition root) can see of the course engine. */
export interface CourseApi {
  /** The catalog shared with the verify engine (integration tests add fixture exercises to it). */
  readonly catalog: Catalog;
  readonly progress: ProgressStore;
  /** Context keys the engine set, key → value. */
  readonly contextKeys: ReadonlyMap<string, boolean>;
  /** Replace to answer the engine's questions in tests. */
  prompts: Prompts;
  readonly brief: BriefPanel;
  /** The Course view's tree (activity bar). */
  readonly tree: CourseTreeProvider;
  statusBarText(): string | undefined;
  currentExercise(): { id: string; folder?: vscode.Uri } | undefined;
}

export class Course implements vscode.Disposable, CourseApi, CourseCommands {
  readonly catalog: Catalog;
  readonly progress: ProgressStore;
  readonly brief: BriefPanel;
  /** The Course view's provider (tests read its tree). */
  readonly tree: CourseTreeProvider;
  private readonly session: CourseSession;
  private readonly sync: WalkthroughSync;
  private readonly statusBar: CourseStatusBar;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    context: vscode.ExtensionContext,
    deps: CourseDeps,
  ) {
    const { log, catalog, verify } = deps;
    this.catalog = catalog;
    this.progress = new ProgressStore(context.globalState, log);
    this.sync = new WalkthroughSync(context.extension.id, catalog, context.globalState, log, contributedSteps(context));
    this.statusBar = new CourseStatusBar(catalog);
    const lastFailureHints = new Map<string, string[]>();
    this.brief = new BriefPanel(context.extensionUri, {
      record: (id) => this.progress.record(id),
      hasBackups: async (folder) => (await listBackups(folder.fsPath)).length > 0,
      failureHints: (id) => lastFailureHints.get(id) ?? [],
      onAction: (action, target) => void onBriefAction(this.session, action, target),
      onLink: (href, target) => void onBriefLink(this.session, href, target),
    });
    const s = (this.session = new CourseSession(context, deps, { progress: this.progress, brief: this.brief, sync: this.sync, statusBar: this.statusBar, lastFailureHints }, this));
    this.disposables.push(
      this.progress,
      this.statusBar,
      this.brief,
      vscode.workspace.registerTextDocumentContentProvider(SOLUTION_SCHEME, new SolutionProvider(catalog)),
      this.progress.onDidChange((state) => this.onProgress(state)),
      verify.onDidVerify((outcome) => (s.verifiedDone = onVerified(s, outcome))),
      vscode.window.onDidChangeActiveTextEditor((editor) => (editor ? s.followEditor(editor.document.uri) : void this.sync.setContext(EDITOR_IN_EXERCISE_KEY, false))),
      vscode.window.onDidChangeWindowState((state) => state.focused && this.progress.refresh()),
    );
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(BRIEF_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const id = (state as { exerciseId?: unknown } | undefined)?.exerciseId;
          const exercise = typeof id === 'string' ? catalog.byId.get(id) : undefined;
          if (!exercise) {
            panel.dispose(); // an exercise no longer in the course
            return;
          }
          const folder = (await findExerciseFolders(exercise.id, verify))[0];
          this.brief.restore(panel, { exercise, folder });
        },
      }),
    );
    this.tree = new CourseTreeProvider(catalog.exercises, () => this.progress.state);
    this.disposables.push(
      vscode.window.createTreeView(COURSE_VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true }),
      this.progress.onDidChange(() => this.tree.refresh()),
    );
    this.registerCommands(log);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  get prompts(): Prompts {
    return this.session.prompts;
  }

  set prompts(prompts: Prompts) {
    this.session.prompts = prompts;
  }

  get contextKeys(): ReadonlyMap<string, boolean> {
    return this.sync.contextKeys;
  }

  statusBarText(): string | undefined {
    return this.statusBar.text;
  }

  currentExercise(): { id: string; folder?: vscode.Uri } | undefined {
    const current = this.session.current;
    return current ? { id: current.exercise.id, folder: current.folder } : undefined;
  }

  /** Sets context keys and the status bar from the store; resumes a start that needed a reload. */
  async start(): Promise<void> {
    const s = this.session;
    s.restoreCurrent();
    const editor = vscode.window.activeTextEditor;
    if (editor) s.followEditor(editor.document.uri);
    this.statusBar.update(s.current?.exercise, this.progress.state);
    await this.sync.apply(this.progress.state);
    await resumePendingStart(s);
  }

  // ---- the commands (CourseCommands: the session calls them too) --------------------------------

  startExercise(arg?: unknown): Promise<vscode.Uri | undefined> {
    return startExercise(this.session, arg);
  }
  verifyExercise(arg?: unknown): Promise<boolean> {
    return verifyExercise(this.session, arg);
  }
  resetExercise(arg?: unknown): Promise<Backup | undefined> {
    return resetExercise(this.session, arg);
  }
  restoreBackup(arg?: unknown): Promise<Backup | undefined> {
    return restoreBackup(this.session, arg);
  }
  showHint(arg?: unknown): Promise<HintAvailability | undefined> {
    return showHint(this.session, arg);
  }
  compareWithSolution(arg?: unknown): Promise<vscode.Uri | undefined> {
    return compareWithSolution(this.session, arg);
  }
  openBrief(arg?: unknown): Promise<void> {
    return openBrief(this.session, arg);
  }
  showProgress(): Promise<void> {
    return showProgress(this.session);
  }
  resetProgress(arg?: unknown): Promise<boolean> {
    return resetProgress(this.session, arg);
  }
  exportProgress(): Promise<vscode.Uri | undefined> {
    return exportProgress(this.session);
  }
  importProgress(): Promise<boolean> {
    return importProgress(this.session);
  }
  checkPython(): Promise<boolean> {
    return checkPython(this.session);
  }
  openWalkthrough(arg?: unknown, step?: unknown): Promise<boolean> {
    return openWalkthrough(this.session, arg, step);
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private registerCommands(log: CourseDeps['log']): void {
    const c = COURSE_COMMANDS;
    const handlers: [string, (...args: unknown[]) => unknown][] = [
      [c.startExercise, (arg) => this.startExercise(arg)],
      [c.verifyExercise, (arg) => this.verifyExercise(arg)],
      [c.resetExercise, (arg) => this.resetExercise(arg)],
      [c.restoreBackup, (arg) => this.restoreBackup(arg)],
      [c.showHint, (arg) => this.showHint(arg)],
      [c.compareWithSolution, (arg) => this.compareWithSolution(arg)],
      [c.openBrief, (arg) => this.openBrief(arg)],
      [c.showProgress, () => this.showProgress()],
      [c.resetProgress, (arg) => this.resetProgress(arg)],
      [c.exportProgress, () => this.exportProgress()],
      [c.importProgress, () => this.importProgress()],
      [c.checkPython, () => this.checkPython()],
      [c.openWalkthrough, (arg, step) => this.openWalkthrough(arg, step)],
    ];
    for (const [id, handler] of handlers) {
      this.disposables.push(
        vscode.commands.registerCommand(id, async (...args: unknown[]) => {
          try {
            // From the Course view, a command gets the tree node: its id names the exercise / chapter.
            return await handler(...args.map((a) => (isTreeNode(a) ? a.id : a)));
          } catch (error) {
            void showError(log, vscode.l10n.t('Flask Tutor: {0} failed. See the log for details.', id), error);
            return undefined;
          }
        }),
      );
    }
  }

  private onProgress(state: ProgressState): void {
    void this.sync.apply(state).catch((error) => this.session.log.warn('Could not update walkthrough ticks:', String(error)));
    this.statusBar.update(this.session.current?.exercise, state);
    this.brief.refresh();
  }
}
