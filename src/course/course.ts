/**
 * The course engine's VS Code adapter: commands, the brief, the status bar and the walkthrough
 * binding around the progress store. The rules live in src/core (progress, hints, chapters,
 * walkthroughGen); file work in ./files.ts; verifying in src/verify (VerifyController).
 */
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { chapterById, chapterDisplayName, chapterLabel, chapterOfExerciseId, compareChapterIds, isChapterId } from '../core/chapters';
import { COURSE_COMMANDS } from '../core/courseCommands';
import { HintAvailability, hintAvailability } from '../core/hints';
import { MARKER_FILE, markerText } from '../core/manifest';
import { exerciseStatus, exportProgress, ProgressState, summarize, validateImport } from '../core/progress';
import { START_FOLDER, walkthroughId } from '../core/walkthroughGen';
import type { Catalog, Exercise } from '../engine/catalog';
import { Log, showError } from '../log';
import type { VerifyController, VerifyOutcome } from '../verify/controller';
import type { PythonLocator } from '../verify/python';
import { BRIEF_VIEW_TYPE, BriefAction, BriefPanel, BriefTarget } from './brief';
import { Backup, BACKUP_DIR, copyNoOverwrite, createBackup, differingFiles, fingerprint, listBackups, listFiles, restoreTree, writeNew } from './files';
import { defaultExerciseFolder, exerciseFolderOf, findExerciseFolders, markerIn } from './folders';
import { CourseTreeProvider, COURSE_VIEW_ID, isTreeNode } from './courseView';
import { reloadTabsIn, saveDirtyIn } from './openEditors';
import { ProgressStore } from './progressStore';
import { SOLUTION_SCHEME, SolutionProvider, solutionUri } from './solution';
import { CourseStatusBar } from './statusBar';
import { Prompts, windowPrompts } from './ui';
import { EDITOR_IN_EXERCISE_KEY, PYTHON_READY_KEY, WalkthroughSync } from './walkthroughSync';

export interface CourseDeps {
  log: Log;
  catalog: Catalog;
  verify: VerifyController;
  python: PythonLocator;
}

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

interface Target {
  exercise: Exercise;
  folder?: vscode.Uri;
  /** Chosen because nothing else named an exercise while an unrelated file was active. */
  implicit?: boolean;
}

const PENDING_START_KEY = 'flaskTutor.pendingStart';
const CURRENT_KEY = 'flaskTutor.currentExercise';
const PENDING_MAX_AGE_MS = 15 * 60 * 1000;

/** Full ids of the walkthrough steps the extension contributes (package.json). */
function contributedSteps(context: vscode.ExtensionContext): Set<string> {
  const walkthroughs = (context.extension.packageJSON as { contributes?: { walkthroughs?: { id: string; steps?: { id: string }[] }[] } }).contributes?.walkthroughs ?? [];
  return new Set(walkthroughs.flatMap((w) => (w.steps ?? []).map((s) => `${context.extension.id}#${w.id}#${s.id}`)));
}

const STATUS_ICON = { passed: '$(pass-filled)', started: '$(record)', 'not-started': '$(circle-large-outline)' } as const;

export class Course implements vscode.Disposable, CourseApi {
  readonly progress: ProgressStore;
  readonly brief: BriefPanel;
  prompts: Prompts = windowPrompts;
  private readonly sync: WalkthroughSync;
  private readonly statusBar: CourseStatusBar;
  private readonly disposables: vscode.Disposable[] = [];
  private current: Target | undefined;
  private readonly log: Log;
  /** Per exercise: the check authors' hints for the failures of its last verify (in memory). */
  private readonly lastFailureHints = new Map<string, string[]>();
  readonly catalog: Catalog;
  private readonly verify: VerifyController;
  private readonly python: PythonLocator;

  /** The progress update of the latest verify (it hashes the learner's files first). */
  private verifiedDone: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    deps: CourseDeps,
  ) {
    ({ log: this.log, catalog: this.catalog, verify: this.verify, python: this.python } = deps);
    this.progress = new ProgressStore(context.globalState, this.log);
    this.sync = new WalkthroughSync(context.extension.id, this.catalog, context.globalState, this.log, contributedSteps(context));
    this.statusBar = new CourseStatusBar(this.catalog);
    this.brief = new BriefPanel(context.extensionUri, {
      record: (id) => this.progress.record(id),
      hasBackups: async (folder) => (await listBackups(folder.fsPath)).length > 0,
      failureHints: (id) => this.lastFailureHints.get(id) ?? [],
      onAction: (action, target) => void this.onBriefAction(action, target),
      onLink: (href, target) => void this.onBriefLink(href, target),
    });
    this.disposables.push(
      this.progress,
      this.statusBar,
      this.brief,
      vscode.workspace.registerTextDocumentContentProvider(SOLUTION_SCHEME, new SolutionProvider(this.catalog)),
      this.progress.onDidChange((state) => this.onProgress(state)),
      this.verify.onDidVerify((outcome) => (this.verifiedDone = this.onVerified(outcome))),
      vscode.window.onDidChangeActiveTextEditor((editor) => (editor ? this.followEditor(editor.document.uri) : void this.sync.setContext(EDITOR_IN_EXERCISE_KEY, false))),
      vscode.window.onDidChangeWindowState((state) => state.focused && this.progress.refresh()),
    );
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(BRIEF_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const id = (state as { exerciseId?: unknown } | undefined)?.exerciseId;
          const exercise = typeof id === 'string' ? this.catalog.byId.get(id) : undefined;
          if (!exercise) {
            panel.dispose(); // an exercise no longer in the course
            return;
          }
          const folder = (await findExerciseFolders(exercise.id, this.verify))[0];
          this.brief.restore(panel, { exercise, folder });
        },
      }),
    );
    this.tree = new CourseTreeProvider(this.catalog.exercises, () => this.progress.state);
    this.disposables.push(
      vscode.window.createTreeView(COURSE_VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true }),
      this.progress.onDidChange(() => this.tree.refresh()),
    );
    this.registerCommands();
  }

  /** The Course view's provider (tests read its tree). */
  readonly tree: CourseTreeProvider;

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  get contextKeys(): ReadonlyMap<string, boolean> {
    return this.sync.contextKeys;
  }

  statusBarText(): string | undefined {
    return this.statusBar.text;
  }

  currentExercise(): { id: string; folder?: vscode.Uri } | undefined {
    return this.current ? { id: this.current.exercise.id, folder: this.current.folder } : undefined;
  }

  /** Sets context keys and the status bar from the store; resumes a start that needed a reload. */
  async start(): Promise<void> {
    const saved = this.context.workspaceState.get<{ id: string; folder?: string }>(CURRENT_KEY);
    const exercise = saved && this.catalog.byId.get(saved.id);
    if (exercise) this.current = { exercise, folder: saved.folder ? vscode.Uri.parse(saved.folder) : undefined };
    const editor = vscode.window.activeTextEditor;
    if (editor) this.followEditor(editor.document.uri);
    this.statusBar.update(this.current?.exercise, this.progress.state);
    await this.sync.apply(this.progress.state);
    await this.resumePendingStart();
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private registerCommands(): void {
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
      [c.openWalkthrough, (arg) => this.openWalkthrough(arg)],
    ];
    for (const [id, handler] of handlers) {
      this.disposables.push(
        vscode.commands.registerCommand(id, async (...args: unknown[]) => {
          try {
            // From the Course view, a command gets the tree node: its id names the exercise / chapter.
            return await handler(...args.map((a) => (isTreeNode(a) ? a.id : a)));
          } catch (error) {
            void showError(this.log, vscode.l10n.t('Flask Tutor: {0} failed. See the log for details.', id), error);
            return undefined;
          }
        }),
      );
    }
  }

  private onProgress(state: ProgressState): void {
    void this.sync.apply(state).catch((error) => this.log.warn('Could not update walkthrough ticks:', String(error)));
    this.statusBar.update(this.current?.exercise, state);
    this.brief.refresh();
  }

  private setCurrent(exercise: Exercise, folder: vscode.Uri | undefined): void {
    if (this.current?.exercise.id === exercise.id && this.current.folder?.toString() === folder?.toString()) return;
    this.current = { exercise, folder };
    void this.context.workspaceState.update(CURRENT_KEY, { id: exercise.id, folder: folder?.toString() });
    this.statusBar.update(exercise, this.progress.state);
  }

  private followEditor(uri: vscode.Uri): void {
    const found = exerciseFolderOf(uri);
    const exercise = found && this.catalog.byId.get(found.exerciseId);
    // Verify / hint / brief buttons in the editor title of an exercise's files.
    void this.sync.setContext(EDITOR_IN_EXERCISE_KEY, !!exercise);
    if (exercise) this.setCurrent(exercise, found.folder);
  }

  private async onVerified(outcome: VerifyOutcome): Promise<void> {
    const exercise = this.catalog.byId.get(outcome.exerciseId);
    if (!exercise) return;
    const outcomes = [...outcome.outcomes.values()];
    const wasPassed = this.progress.record(exercise.id)?.status === 'passed';
    const at = new Date().toISOString();
    // Only changed code is a new attempt (hints unlock on attempts), and an app that does not load is none.
    const code = await fingerprint(outcome.folder.fsPath).catch(() => undefined);
    await this.progress.dispatch({
      type: 'verified',
      id: exercise.id,
      at,
      passed: outcome.passed,
      failed: outcomes.some((o) => o === 'failed' || o === 'errored'),
      checks: { passed: outcomes.filter((o) => o === 'passed').length, total: outcomes.length },
      appError: outcome.appError !== undefined,
      fingerprint: code,
    });
    this.lastFailureHints.set(exercise.id, outcome.failureHints);
    this.setCurrent(exercise, outcome.folder);
    this.brief.refresh({ exercise, folder: outcome.folder });
    if (outcome.passed && !wasPassed) void this.celebrate(exercise);
  }

  private async celebrate(exercise: Exercise): Promise<void> {
    const state = this.progress.state;
    const counts = summarize(state, this.catalog.exercises).get(exercise.chapter);
    const index = this.catalog.exercises.indexOf(exercise);
    const next = [...this.catalog.exercises.slice(index + 1), ...this.catalog.exercises.slice(0, index)].find((e) => exerciseStatus(state, e.id) !== 'passed');
    const nextAction = next ? vscode.l10n.t('Next: {0}', next.title) : undefined;
    const chapterAction = vscode.l10n.t('Open chapter');
    const message = vscode.l10n.t('✓ "{0}" passed! {1}: {2} of {3} exercises done.', exercise.title, chapterLabel(exercise.chapter), counts?.passed ?? 0, counts?.total ?? 0);
    const choice = await this.prompts.info(message, ...(nextAction ? [nextAction] : []), chapterAction);
    if (choice && choice === nextAction && next) await this.startExercise(next.id);
    else if (choice === chapterAction) await this.openWalkthrough(exercise.chapter);
  }

  /** The exercise a command is about: its argument, else the active editor's, else the current one, else ask. */
  private async resolveTarget(arg: unknown, placeHolder: string, startedOnly: boolean): Promise<Target | undefined> {
    let exercise: Exercise | undefined;
    let folder: vscode.Uri | undefined;
    const fromUri = (uri: vscode.Uri) => {
      const found = exerciseFolderOf(uri);
      if (found) {
        exercise = this.catalog.byId.get(found.exerciseId);
        folder = found.folder;
      }
    };
    if (typeof arg === 'string') {
      exercise = this.catalog.byId.get(arg);
      if (!exercise) {
        void this.prompts.warn(vscode.l10n.t('There is no exercise "{0}". Is Flask Backend Tutor up to date?', arg));
        return undefined;
      }
    } else if (arg instanceof vscode.Uri) {
      fromUri(arg);
    } else if (arg && typeof arg === 'object' && (arg as { uri?: unknown }).uri instanceof vscode.Uri) {
      fromUri((arg as { uri: vscode.Uri }).uri); // a TestItem
    }
    if (!exercise) {
      const editor = vscode.window.activeTextEditor;
      if (editor) fromUri(editor.document.uri);
    }
    // The active file belongs to no exercise: the brief's or the last exercise, said aloud (verify).
    const implicit = !exercise && !!vscode.window.activeTextEditor && !!((this.brief.visible && this.brief.current) || this.current);
    if (!exercise && this.brief.visible && this.brief.current) ({ exercise, folder } = this.brief.current);
    if (!exercise && this.current) ({ exercise, folder } = this.current);
    if (!exercise) {
      exercise = await this.pickExercise(placeHolder, startedOnly);
      if (!exercise) return undefined;
    }
    folder ??= (await findExerciseFolders(exercise.id, this.verify))[0];
    return { exercise, folder, implicit };
  }

  private async pickExercise(placeHolder: string, startedOnly: boolean): Promise<Exercise | undefined> {
    if (!this.catalog.exercises.length) {
      void this.prompts.info(vscode.l10n.t('No exercises are installed yet.'));
      return undefined;
    }
    const state = this.progress.state;
    const counts = summarize(state, this.catalog.exercises);
    type Item = vscode.QuickPickItem & { exercise?: Exercise };
    const items: Item[] = [];
    let chapter: string | undefined;
    const candidates = startedOnly ? this.catalog.exercises.filter((e) => exerciseStatus(state, e.id) !== 'not-started') : this.catalog.exercises;
    for (const exercise of (candidates.length ? candidates : this.catalog.exercises).slice().sort((a, b) => compareChapterIds(a.chapter, b.chapter) || a.order - b.order)) {
      if (exercise.chapter !== chapter) {
        chapter = exercise.chapter;
        const c = counts.get(chapter);
        items.push({
          kind: vscode.QuickPickItemKind.Separator,
          label: `${chapterDisplayName(chapter)} · ${vscode.l10n.t('{0}/{1} passed', c?.passed ?? 0, c?.total ?? 0)}`,
        });
      }
      const status = exerciseStatus(state, exercise.id);
      const record = state.exercises[exercise.id];
      items.push({
        label: `${STATUS_ICON[status]} ${exercise.title}`,
        description: status === 'passed' ? vscode.l10n.t('passed') : status === 'started' ? vscode.l10n.t('started') : vscode.l10n.t('not started'),
        detail: `${exercise.summary} · ${vscode.l10n.t('about {0} min', exercise.minutes)}${record ? ` · ${vscode.l10n.t('{0} verifies', record.attempts)}` : ''}`,
        exercise,
      });
    }
    const picked = await this.prompts.pick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
    return picked?.exercise;
  }

  // ---- start --------------------------------------------------------------------------------

  /** Starts (or reopens) an exercise; resolves to its folder. */
  async startExercise(arg?: unknown): Promise<vscode.Uri | undefined> {
    const exercise = typeof arg === 'string' ? this.catalog.byId.get(arg) : await this.pickExercise(vscode.l10n.t('Start which exercise?'), false);
    if (!exercise) {
      if (typeof arg === 'string') void this.prompts.warn(vscode.l10n.t('There is no exercise "{0}". Is Flask Backend Tutor up to date?', arg));
      return undefined;
    }
    const existing = (await findExerciseFolders(exercise.id, this.verify))[0];
    if (existing) {
      await this.progress.dispatch({ type: 'started', id: exercise.id, at: new Date().toISOString() });
      await this.openExercise(exercise, existing);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Reopened your folder for "{0}".', exercise.title), 5000);
      return existing;
    }
    const workspaceFolder = await this.prompts.workspaceFolder(vscode.l10n.t('Create the exercise folder in which workspace folder?'));
    if (!workspaceFolder) {
      if (vscode.workspace.workspaceFolders?.length) return undefined; // the learner cancelled the pick
      return this.startWithoutWorkspace(exercise);
    }
    let folder = defaultExerciseFolder(workspaceFolder.uri, exercise.id);
    // A folder of that name that holds another exercise stays as it is: use a sibling.
    for (let n = 2; markerIn(folder.fsPath) && markerIn(folder.fsPath) !== exercise.id; n++) {
      folder = vscode.Uri.file(`${defaultExerciseFolder(workspaceFolder.uri, exercise.id).fsPath}-${n}`);
    }
    await this.createExerciseFolder(exercise, folder);
    await this.progress.dispatch({ type: 'started', id: exercise.id, at: new Date().toISOString() });
    await this.openExercise(exercise, folder);
    void this.verify.discover();
    void this.checkPythonQuietly(folder);
    return folder;
  }

  private async createExerciseFolder(exercise: Exercise, folder: vscode.Uri): Promise<void> {
    try {
      await fsp.access(exercise.starterDir);
    } catch {
      throw new Error(`The exercise ${exercise.id} has no starter folder (${exercise.starterDir}).`);
    }
    const { copied, kept } = await copyNoOverwrite(exercise.starterDir, folder.fsPath);
    await writeNew(path.join(folder.fsPath, MARKER_FILE), markerText(exercise.id));
    this.log.info(`Started ${exercise.id} in ${folder.fsPath}: copied ${copied.length} file(s)${kept.length ? `, kept ${kept.length} existing file(s): ${kept.join(', ')}` : ''}.`);
    if (kept.length) {
      void this.prompts.info(vscode.l10n.t('Your existing files were kept as they are (nothing is overwritten): {0}', kept.join(', ')));
    }
  }

  /** No folder open: ask for one, create the exercise there, open it (the window reloads) and finish after the reload. */
  private async startWithoutWorkspace(exercise: Exercise): Promise<vscode.Uri | undefined> {
    const picked = await this.prompts.openDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: vscode.l10n.t('Use this folder'),
      title: vscode.l10n.t('Choose a folder for your Flask exercises'),
      defaultUri: vscode.Uri.file(os.homedir()),
    });
    const root = picked?.[0];
    if (!root) return undefined;
    const folder = defaultExerciseFolder(root, exercise.id);
    if (markerIn(folder.fsPath) !== exercise.id) await this.createExerciseFolder(exercise, folder);
    await this.progress.dispatch({ type: 'started', id: exercise.id, at: new Date().toISOString() });
    await this.context.globalState.update(PENDING_START_KEY, { id: exercise.id, folder: folder.toString(), at: Date.now() });
    await vscode.commands.executeCommand('vscode.openFolder', root);
    return folder;
  }

  private async resumePendingStart(): Promise<void> {
    const pending = this.context.globalState.get<{ id: string; folder: string; at: number }>(PENDING_START_KEY);
    if (!pending) return;
    const folder = vscode.Uri.parse(pending.folder);
    const exercise = this.catalog.byId.get(pending.id);
    const inWorkspace = !!vscode.workspace.getWorkspaceFolder(folder);
    if (!inWorkspace && Date.now() - pending.at < PENDING_MAX_AGE_MS) return; // another window will pick it up
    await this.context.globalState.update(PENDING_START_KEY, undefined);
    if (!exercise || !inWorkspace || Date.now() - pending.at >= PENDING_MAX_AGE_MS) return;
    if (markerIn(folder.fsPath) !== exercise.id) return;
    await this.openExercise(exercise, folder);
    void this.verify.discover();
    void this.checkPythonQuietly(folder);
  }

  private async openExercise(exercise: Exercise, folder: vscode.Uri): Promise<void> {
    this.setCurrent(exercise, folder);
    const files = exercise.open.map((rel) => vscode.Uri.joinPath(folder, ...rel.split('/')));
    // Other files first, the main file last so that it is the active editor.
    for (const uri of [...files.slice(1), ...files.slice(0, 1)]) {
      try {
        await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: false, preserveFocus: false });
      } catch (error) {
        this.log.warn(`Could not open ${uri.fsPath}:`, String(error));
      }
    }
    this.brief.show({ exercise, folder }, { column: vscode.ViewColumn.Beside, preserveFocus: true });
  }

  // ---- verify -------------------------------------------------------------------------------

  async verifyExercise(arg?: unknown): Promise<boolean> {
    const target = await this.resolveTarget(arg, vscode.l10n.t('Verify which exercise?'), true);
    if (!target) return false;
    const { exercise, folder } = target;
    if (!folder) {
      const start = vscode.l10n.t('Start exercise');
      const choice = await this.prompts.info(vscode.l10n.t('"{0}" is not started yet: start it first, then verify your work.', exercise.title), start);
      if (choice === start) await this.startExercise(exercise.id);
      return false;
    }
    if (target.implicit) {
      void this.prompts.info(vscode.l10n.t('Verifying "{0}", the exercise you worked on last: the active file is not part of an exercise.', exercise.title));
    }
    this.setCurrent(exercise, folder);
    this.brief.setBusy(exercise.id, true);
    let found: boolean;
    try {
      found = await this.verify.verifyFolder(folder);
    } finally {
      this.brief.setBusy(exercise.id, false);
    }
    if (!found) {
      void this.prompts.warn(vscode.l10n.t('{0} is not in the Test Explorer: is it inside the open workspace?', folder.fsPath));
      return false;
    }
    await this.verifiedDone; // the progress record of this verify
    const record = this.progress.record(exercise.id);
    if (record?.lastAppError && record.status !== 'passed') {
      // Not "0 of 6 checks pass" with a hint: the learner needs the error, once, at their line.
      const problems = vscode.l10n.t('Show problem');
      const choice = await this.prompts.info(vscode.l10n.t('"{0}": your app does not load, so no check could run. The Problems view shows where.', exercise.title), problems);
      if (choice === problems) await vscode.commands.executeCommand('workbench.actions.view.problems');
      return true;
    }
    if (record?.lastChecks && record.status !== 'passed' && record.lastVerifyAt) {
      const { passed, total } = record.lastChecks;
      const results = vscode.l10n.t('Show results');
      const hint = vscode.l10n.t('Show hint');
      const a = this.hintAvailabilityOf(exercise);
      const choice = await this.prompts.info(
        vscode.l10n.t('"{0}": {1} of {2} checks pass.', exercise.title, passed, total),
        results,
        ...(a.kind === 'available' ? [hint] : []),
      );
      if (choice === results) await vscode.commands.executeCommand('workbench.view.testing.focus');
      else if (choice === hint) await this.showHint(exercise.id);
    }
    return true;
  }

  // ---- reset and backups --------------------------------------------------------------------

  private async startedTarget(arg: unknown, placeHolder: string): Promise<Required<Target> | undefined> {
    const target = await this.resolveTarget(arg, placeHolder, true);
    if (!target) return undefined;
    if (!target.folder) {
      void this.prompts.info(vscode.l10n.t('"{0}" is not started yet.', target.exercise.title));
      return undefined;
    }
    return target as Required<Target>;
  }

  /** Restores the starter after backing up the learner's files; resolves to the backup. */
  async resetExercise(arg?: unknown): Promise<Backup | undefined> {
    const target = await this.startedTarget(arg, vscode.l10n.t('Reset which exercise?'));
    if (!target) return undefined;
    const { exercise, folder } = target;
    const reset = vscode.l10n.t('Reset');
    const choice = await this.prompts.confirm(
      vscode.l10n.t('Reset "{0}" to its starter files?', exercise.title),
      vscode.l10n.t('Your current files are first copied to {0}/<date and time>/ inside the exercise folder. "Restore Backup…" brings them back. Your progress is kept.', BACKUP_DIR),
      reset,
    );
    if (choice !== reset) return undefined;
    await saveDirtyIn(folder);
    const backup = await createBackup(folder.fsPath);
    const { removed } = await restoreTree(exercise.starterDir, folder.fsPath);
    this.log.info(`Reset ${exercise.id} in ${folder.fsPath}; backup ${backup.dir} (${backup.files.length} files); removed ${removed.length} file(s).`);
    await this.afterFilesReplaced(target);
    const restore = vscode.l10n.t('Restore backup…');
    void this.prompts.info(vscode.l10n.t('"{0}" is back to its starter files. Your files are in {1}/{2}.', exercise.title, BACKUP_DIR, backup.name), restore).then((c) => {
      if (c === restore) void this.restoreBackup(exercise.id);
    });
    return backup;
  }

  /**
   * After Reset or Restore wrote the folder: open editors show the new files at once (see
   * reloadTabsIn: a watcher may be late or silent), the old verdicts are marked outdated, the brief forgets
   * "5 of 6".
   */
  private async afterFilesReplaced(target: Required<Target>): Promise<void> {
    await reloadTabsIn(target.folder, this.log);
    this.verify.invalidate(target.folder);
    this.lastFailureHints.delete(target.exercise.id);
    await this.progress.dispatch({ type: 'filesReplaced', id: target.exercise.id });
    this.brief.refresh(target);
  }

  /** Restores a backup (after backing up the current files); resolves to the restored backup. */
  async restoreBackup(arg?: unknown): Promise<Backup | undefined> {
    const target = await this.startedTarget(arg, vscode.l10n.t('Restore a backup of which exercise?'));
    if (!target) return undefined;
    const { exercise, folder } = target;
    const backups = await listBackups(folder.fsPath);
    if (!backups.length) {
      void this.prompts.info(vscode.l10n.t('"{0}" has no backups yet: they are made when you reset an exercise.', exercise.title));
      return undefined;
    }
    const items = backups.map((b) => ({
      label: b.date.toLocaleString(vscode.env.language, { dateStyle: 'medium', timeStyle: 'medium' }),
      description: `${BACKUP_DIR}/${b.name}`,
      detail: `${vscode.l10n.t('{0} files', b.files.length)}: ${b.files.slice(0, 6).join(', ')}${b.files.length > 6 ? ', …' : ''}`,
      backup: b,
    }));
    const picked = await this.prompts.pick(items, { placeHolder: vscode.l10n.t('Restore which backup of "{0}"?', exercise.title) });
    if (!picked) return undefined;
    const restore = vscode.l10n.t('Restore');
    const choice = await this.prompts.confirm(
      vscode.l10n.t('Restore the backup from {0}?', picked.label),
      vscode.l10n.t('Your current files are backed up first, so this can be undone too.'),
      restore,
    );
    if (choice !== restore) return undefined;
    await saveDirtyIn(folder);
    const before = await createBackup(folder.fsPath);
    await restoreTree(picked.backup.dir, folder.fsPath);
    this.log.info(`Restored ${picked.backup.dir} into ${folder.fsPath} (previous files in ${before.dir}).`);
    await this.afterFilesReplaced(target);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Restored the backup of {0}.', picked.label), 5000);
    return picked.backup;
  }

  // ---- hints, solution, brief ---------------------------------------------------------------

  private hintAvailabilityOf(exercise: Exercise): HintAvailability {
    const record = this.progress.record(exercise.id);
    return hintAvailability(exercise.hints.length, {
      hintsUsed: record?.hintsUsed ?? 0,
      failsSinceHint: record?.failsSinceHint ?? 0,
      passed: record?.status === 'passed',
    });
  }

  /** Reveals the next hint if the ladder allows it; resolves to what was available. */
  async showHint(arg?: unknown): Promise<HintAvailability | undefined> {
    const target = await this.resolveTarget(arg, vscode.l10n.t('Show a hint for which exercise?'), true);
    if (!target) return undefined;
    const { exercise } = target;
    const a = this.hintAvailabilityOf(exercise);
    switch (a.kind) {
      case 'none':
        void this.prompts.info(vscode.l10n.t('"{0}" has no hints.', exercise.title));
        break;
      case 'available':
        await this.progress.dispatch({ type: 'hintRevealed', id: exercise.id, at: new Date().toISOString(), allowed: true });
        this.brief.show(target, { focusHint: a.next, column: vscode.ViewColumn.Beside, preserveFocus: false });
        break;
      case 'locked': {
        this.brief.show(target, { focusHint: a.shown || undefined, column: vscode.ViewColumn.Beside, preserveFocus: true });
        const verify = vscode.l10n.t('Verify now');
        const choice = await this.prompts.info(vscode.l10n.t('Hint {0} of {1} unlocks after a verify that does not pass: try a change, then verify.', a.next, a.total), verify);
        if (choice === verify) await this.verifyExercise(exercise.id);
        break;
      }
      case 'all-shown':
        this.brief.show(target, { focusHint: a.total, column: vscode.ViewColumn.Beside, preserveFocus: false });
        break;
    }
    return a;
  }

  /** After confirmation, a read-only diff: reference solution (left) ↔ the learner's file (right). */
  async compareWithSolution(arg?: unknown): Promise<vscode.Uri | undefined> {
    const target = await this.resolveTarget(arg, vscode.l10n.t('Compare which exercise with its solution?'), true);
    if (!target) return undefined;
    const { exercise, folder } = target;
    const show = vscode.l10n.t('Show solution');
    const hint = vscode.l10n.t('Show a hint');
    const choice = await this.prompts.confirm(
      vscode.l10n.t('This shows the reference solution. Try the hints first?'),
      vscode.l10n.t('The solution opens next to your file, read-only. Nothing in your files changes.'),
      show,
      ...(this.hintAvailabilityOf(exercise).kind === 'available' ? [hint] : []),
    );
    if (choice === hint) {
      await this.showHint(exercise.id);
      return undefined;
    }
    if (choice !== show) return undefined;
    const solutionFiles = await listFiles(exercise.solutionDir, { skipMarker: true });
    const order = (rel: string) => {
      const i = exercise.open.indexOf(rel);
      return i < 0 ? exercise.open.length : i;
    };
    const candidates = folder ? await differingFiles(exercise.solutionDir, folder.fsPath) : solutionFiles;
    if (!candidates.length) {
      void this.prompts.info(vscode.l10n.t('Your files match the reference solution of "{0}".', exercise.title));
      return undefined;
    }
    candidates.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
    let rel = candidates[0];
    if (candidates.length > 1) {
      const mine = folder ? new Set(await listFiles(folder.fsPath, { skipMarker: true })) : new Set<string>();
      const picked = await this.prompts.pick(
        candidates.map((c) => ({ label: c, description: mine.has(c) ? vscode.l10n.t('differs from yours') : vscode.l10n.t('not in your folder'), rel: c })),
        { placeHolder: vscode.l10n.t('Compare which file with the reference solution?') },
      );
      if (!picked) return undefined;
      rel = picked.rel;
    }
    const solution = solutionUri(exercise.id, rel);
    const yours = folder ? vscode.Uri.joinPath(folder, ...rel.split('/')) : undefined;
    const yoursExists = yours ? await fsp.access(yours.fsPath).then(() => true, () => false) : false;
    if (yours && yoursExists) {
      // Yours on the left, the solution on the right: the diff reads "change this into that",
      // and the solution's lines are the green, added side (not the red, removed one).
      await vscode.commands.executeCommand('vscode.diff', yours, solution, vscode.l10n.t('{0}: yours → reference solution', rel), { preview: true });
    } else {
      await vscode.window.showTextDocument(solution, { preview: true });
    }
    await this.progress.dispatch({ type: 'solutionViewed', id: exercise.id, at: new Date().toISOString() });
    return solution;
  }

  async openBrief(arg?: unknown): Promise<void> {
    const target = await this.resolveTarget(arg, vscode.l10n.t('Open the brief of which exercise?'), false);
    if (!target) return;
    if (target.folder) this.setCurrent(target.exercise, target.folder);
    this.brief.show(target, { column: vscode.ViewColumn.Beside });
  }

  private async onBriefAction(action: BriefAction, target: BriefTarget): Promise<void> {
    const id = target.exercise.id;
    try {
      switch (action) {
        case 'start':
          await this.startExercise(id);
          break;
        case 'verify':
          await this.verifyExercise(target.folder ?? id);
          break;
        case 'hint':
          await this.showHint(id);
          break;
        case 'open': {
          const folder = target.folder ?? (await findExerciseFolders(id, this.verify))[0];
          if (folder) await this.openExercise(target.exercise, folder);
          break;
        }
        case 'reset':
          await this.resetExercise(target.folder ?? id);
          break;
        case 'restore':
          await this.restoreBackup(target.folder ?? id);
          break;
        case 'compare':
          await this.compareWithSolution(target.folder ?? id);
          break;
      }
    } catch (error) {
      void showError(this.log, vscode.l10n.t('Flask Tutor: {0} failed. See the log for details.', action), error);
    }
  }

  private async onBriefLink(href: string, target: BriefTarget): Promise<void> {
    if (/^https?:\/\//i.test(href)) {
      await vscode.env.openExternal(vscode.Uri.parse(href));
      return;
    }
    const command = /^command:([A-Za-z0-9_.-]+)(?:\?(.*))?$/s.exec(href);
    if (command) {
      if (!command[1].startsWith('flaskTutor.')) return; // briefs may only run our own commands
      let args: unknown = [];
      try {
        args = command[2] ? JSON.parse(decodeURIComponent(command[2])) : [];
      } catch {
        this.log.warn(`Ignored a brief link with arguments that are not JSON: ${href}`);
        return;
      }
      await vscode.commands.executeCommand(command[1], ...(Array.isArray(args) ? args : [args]));
      return;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return;
    const rel = decodeURIComponent(href.replace(/[#?].*$/, ''));
    // A link to a file of the exercise: the learner's copy when there is one, else the shipped one.
    for (const base of [target.folder?.fsPath, target.exercise.dir].filter((b): b is string => !!b)) {
      const file = path.join(base, ...rel.split('/'));
      if (path.relative(base, file).startsWith('..')) continue;
      if (await fsp.access(file).then(() => true, () => false)) {
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), vscode.ViewColumn.One);
        return;
      }
    }
  }

  // ---- progress -----------------------------------------------------------------------------

  async showProgress(): Promise<void> {
    const state = this.progress.state;
    const counts = summarize(state, this.catalog.exercises);
    const total = counts.get('') ?? { total: 0, passed: 0, started: 0 };
    type Item = vscode.QuickPickItem & { exercise?: Exercise };
    const items: Item[] = [];
    let chapter: string | undefined;
    for (const exercise of this.catalog.exercises.slice().sort((a, b) => compareChapterIds(a.chapter, b.chapter) || a.order - b.order)) {
      if (exercise.chapter !== chapter) {
        chapter = exercise.chapter;
        const c = counts.get(chapter);
        items.push({ kind: vscode.QuickPickItemKind.Separator, label: `${chapterDisplayName(chapter)} · ${vscode.l10n.t('{0}/{1} passed', c?.passed ?? 0, c?.total ?? 0)}` });
      }
      const status = exerciseStatus(state, exercise.id);
      const r = state.exercises[exercise.id];
      const parts: string[] = [];
      if (r) parts.push(vscode.l10n.t('{0} verifies', r.attempts), vscode.l10n.t('hints {0}/{1}', r.hintsUsed, exercise.hints.length));
      if (r?.firstPassAt) parts.push(vscode.l10n.t('passed {0}', new Date(r.firstPassAt).toLocaleDateString(vscode.env.language)));
      items.push({
        label: `${STATUS_ICON[status]} ${exercise.title}`,
        description: status === 'passed' ? vscode.l10n.t('passed') : status === 'started' ? vscode.l10n.t('started') : vscode.l10n.t('not started'),
        detail: parts.join(' · ') || undefined,
        exercise,
      });
    }
    if (!items.length) {
      void this.prompts.info(vscode.l10n.t('No exercises are installed yet.'));
      return;
    }
    const picked = await this.prompts.pick(items, {
      title: vscode.l10n.t('Your progress: {0} of {1} exercises passed, {2} started', total.passed, total.total, total.started),
      placeHolder: vscode.l10n.t('Pick an exercise to open its brief'),
      matchOnDescription: true,
    });
    if (picked?.exercise) await this.openBrief(picked.exercise.id);
  }

  /** Resets progress of a chapter or of everything (argument `"all"` or a chapter id), after confirmation. */
  async resetProgress(arg?: unknown): Promise<boolean> {
    const state = this.progress.state;
    const chapterOf = (id: string) => this.catalog.byId.get(id)?.chapter ?? chapterOfExerciseId(id);
    let scope: string | undefined = typeof arg === 'string' && (arg === 'all' || isChapterId(arg)) ? arg : undefined;
    if (!scope) {
      const chapters = [...new Set(Object.keys(state.exercises).map(chapterOf).filter((c): c is string => !!c))].sort(compareChapterIds);
      const items = [
        { label: vscode.l10n.t('All progress'), description: vscode.l10n.t('{0} exercises', Object.keys(state.exercises).length), scope: 'all' },
        ...chapters.map((c) => ({ label: chapterDisplayName(c), description: '', scope: c })),
      ];
      const picked = await this.prompts.pick(items, { placeHolder: vscode.l10n.t('Reset the progress of…') });
      if (!picked) return false;
      scope = picked.scope;
    }
    const ids = scope === 'all' ? undefined : Object.keys(state.exercises).filter((id) => chapterOf(id) === scope);
    const what = scope === 'all' ? vscode.l10n.t('the whole course') : chapterDisplayName(scope);
    const reset = vscode.l10n.t('Reset progress');
    const exportFirst = vscode.l10n.t('Export first…');
    const choice = await this.prompts.confirm(
      vscode.l10n.t('Reset your progress in {0}?', what),
      vscode.l10n.t('Exercises become "not started", hints lock again and walkthrough ticks are cleared, on every machine you sync with. Your exercise files are not touched.'),
      reset,
      exportFirst,
    );
    if (choice === exportFirst) {
      await this.exportProgress();
      return false;
    }
    if (choice !== reset) return false;
    // The store's epoch changes: the walkthrough sync unticks the steps (here and on synced machines).
    await this.progress.dispatch({ type: 'reset', ids });
    await this.sync.apply(this.progress.state);
    this.log.info(`Progress reset: ${scope}.`);
    return true;
  }

  async exportProgress(): Promise<vscode.Uri | undefined> {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const name = `flask-tutor-progress-${new Date().toISOString().slice(0, 10)}.json`;
    const target = await this.prompts.saveDialog({
      defaultUri: vscode.Uri.joinPath(base, name),
      filters: { JSON: ['json'] },
      title: vscode.l10n.t('Export Flask Tutor progress'),
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exportProgress(this.progress.state, new Date().toISOString())));
    void this.prompts.info(vscode.l10n.t('Progress exported to {0}.', target.fsPath));
    return target;
  }

  async importProgress(): Promise<boolean> {
    const picked = await this.prompts.openDialog({
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      filters: { JSON: ['json'] },
      title: vscode.l10n.t('Import Flask Tutor progress'),
    });
    const file = picked?.[0];
    if (!file) return false;
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    const { state, errors } = validateImport(text);
    if (!state) {
      const shown = errors.slice(0, 5).join('\n') + (errors.length > 5 ? `\n${vscode.l10n.t('…and {0} more.', errors.length - 5)}` : '');
      await this.prompts.confirm(vscode.l10n.t('{0} cannot be imported.', path.basename(file.fsPath)), shown);
      return false;
    }
    const count = Object.keys(state.exercises).length;
    const merge = vscode.l10n.t('Merge');
    const replace = vscode.l10n.t('Replace');
    const choice = await this.prompts.confirm(
      vscode.l10n.t('Import progress of {0} exercises?', count),
      vscode.l10n.t('Merge keeps the most progress of each exercise from both. Replace discards your current progress.'),
      merge,
      replace,
    );
    if (choice !== merge && choice !== replace) return false;
    const mode = choice === merge ? 'merge' : 'replace';
    await this.progress.dispatch({ type: 'import', incoming: state, mode });
    await this.sync.apply(this.progress.state);
    this.log.info(`Imported progress of ${count} exercise(s) from ${file.fsPath} (${mode}).`);
    return true;
  }

  // ---- Python and walkthroughs --------------------------------------------------------------

  private pythonResource(): vscode.Uri {
    return this.current?.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  }

  /** Checks the Python that verifies exercises; sets `flaskTutor.pythonReady`. */
  async checkPython(): Promise<boolean> {
    this.python.forget();
    const resource = this.pythonResource();
    const interpreter = await this.python.resolve(resource);
    const probe = await this.python.probe(interpreter.path);
    await this.sync.setContext(PYTHON_READY_KEY, probe.ok);
    if (probe.ok) {
      void this.prompts.info(vscode.l10n.t('Python {0} ({1}) has pytest and Flask: you are ready to verify exercises.', probe.info.version, probe.info.executable));
      return true;
    }
    await this.offerPythonFixes(probe.message);
    return false;
  }

  private async offerPythonFixes(message: string): Promise<void> {
    const actions: [string, () => Thenable<unknown>][] = [];
    if (vscode.workspace.workspaceFolders?.length && vscode.workspace.isTrusted) {
      actions.push([vscode.l10n.t('Create .venv'), () => vscode.commands.executeCommand('flaskTutor.createVenv')]);
    }
    if (vscode.extensions.getExtension('ms-python.python')) {
      actions.push([vscode.l10n.t('Choose interpreter'), () => vscode.commands.executeCommand('python.setInterpreter')]);
    }
    actions.push([vscode.l10n.t('Set Python path'), () => vscode.commands.executeCommand('workbench.action.openSettings', 'flaskTutor.pythonPath')]);
    const choice = await this.prompts.warn(message, ...actions.map(([label]) => label));
    await actions.find(([label]) => label === choice)?.[1]();
  }

  private async checkPythonQuietly(folder: vscode.Uri): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    try {
      const interpreter = await this.python.resolve(folder);
      const probe = await this.python.probe(interpreter.path);
      await this.sync.setContext(PYTHON_READY_KEY, probe.ok);
      if (!probe.ok) await this.offerPythonFixes(probe.message);
    } catch (error) {
      this.log.warn('Python check failed:', String(error));
    }
  }

  /** Opens the "Start here" walkthrough or a chapter's (argument `"start"` or a chapter id). */
  async openWalkthrough(arg?: unknown): Promise<boolean> {
    const name = typeof arg === 'string' && (arg === START_FOLDER || isChapterId(arg)) ? arg : (this.current?.exercise.chapter ?? START_FOLDER);
    const id = walkthroughId(name);
    const contributed = (this.context.extension.packageJSON as { contributes?: { walkthroughs?: { id: string }[] } }).contributes?.walkthroughs ?? [];
    if (!contributed.some((w) => w.id === id)) {
      const title = chapterById(name)?.title ?? name;
      void this.prompts.info(vscode.l10n.t('The walkthrough of {0} ({1}) is not available yet.', chapterLabel(name), title));
      return false;
    }
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${this.context.extension.id}#${id}`, false);
    return true;
  }
}
