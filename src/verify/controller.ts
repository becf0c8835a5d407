/**
 * The Test Explorer adapter: one TestController "Flask Backend Tutor", an item per exercise
 * folder in the workspace (a folder holding `.flasktutor.json`) and a child per check. Runs go
 * through src/engine/pytestRun.ts; the verdicts come from src/core/results.ts. This file only
 * translates between those and the VS Code API: run profiles, requests, the per-exercise queue,
 * one run per exercise. Discovery (the tree) is ./exerciseTree.ts; verdicts on items
 * ./verdicts.ts; coverage ./coverage.ts; the "app does not load" Problems entry
 * ./appErrorProblems.ts.
 */
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Outcome } from '../core/protocol';
import { CheckVerdict, RunResults, checkKey, failureHints } from '../core/results';
import type { Catalog } from '../engine/catalog';
import { runPytest } from '../engine/pytestRun';
import type { Log } from '../log';
import { debugChecks, missingDebugger } from './debug';
import { offerInstall } from './install';
import type { PythonLocator } from './python';
import { AppErrorProblems } from './appErrorProblems';
import { CHECK_SCHEME, CheckFileProvider } from './checkFiles';
import { CoverageReports } from './coverage';
import { DEBOUNCE_MS, ExerciseTree } from './exerciseTree';
import { applyVerdict } from './verdicts';

export interface VerifyOutcome {
  exerciseId: string;
  folder: vscode.Uri;
  /** Every check of the exercise ran and passed. */
  passed: boolean;
  /** Every check of the exercise ran in this verify (not a partial selection). */
  complete: boolean;
  outcomes: Map<string, Outcome>;
  /** The learner's app did not load (syntax error, import error, crash in the factory): no check judged the task. */
  appError?: { message: string; file?: string; line?: number };
  /** The check authors' hints for this verify's failures (results.failureHints). */
  failureHints: string[];
}

export type Mode = 'run' | 'coverage' | 'debug';

/** What a run reported for one check: observed by the course engine and the integration tests. */
export interface AppliedVerdict {
  item: vscode.TestItem;
  verdict: CheckVerdict;
}

export class VerifyController implements vscode.Disposable {
  readonly controller: vscode.TestController;
  /** "Verify exercise": the default run profile, also the continuous (verify on save) one. */
  readonly runProfile: vscode.TestRunProfile;
  /** The exercise folders and their checks as test items (discovery). */
  private readonly tree: ExerciseTree;
  private readonly queues = new Map<string, Promise<void>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly onDidVerifyEmitter = new vscode.EventEmitter<VerifyOutcome>();
  readonly onDidVerify = this.onDidVerifyEmitter.event;
  private readonly onDidApplyEmitter = new vscode.EventEmitter<AppliedVerdict>();
  /** Fires for every verdict put on a test item. */
  readonly onDidApply = this.onDidApplyEmitter.event;
  private readonly onDidCoverEmitter = new vscode.EventEmitter<vscode.FileCoverage[]>();
  /** Fires with the coverage a "Verify with coverage" run added. */
  readonly onDidCover = this.onDidCoverEmitter.event;
  private readonly coverage: CoverageReports;
  /** "Your app does not load" at the learner's line, in the Problems view, until a verify loads it. */
  private readonly problems = new AppErrorProblems();

  constructor(
    catalog: Catalog,
    private readonly python: PythonLocator,
    private readonly log: Log,
    private readonly pluginDir: string,
  ) {
    this.coverage = new CoverageReports(log);
    this.controller = vscode.tests.createTestController('flaskTutor', vscode.l10n.t('Flask Backend Tutor'));
    this.disposables.push(
      this.controller,
      this.onDidVerifyEmitter,
      this.onDidApplyEmitter,
      this.onDidCoverEmitter,
      this.problems,
      vscode.workspace.registerTextDocumentContentProvider(CHECK_SCHEME, new CheckFileProvider(catalog)),
    );
    this.tree = new ExerciseTree(this.controller, catalog, log);
    this.disposables.push(this.tree);
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    this.controller.refreshHandler = () => this.discover();

    const runProfile = (this.runProfile = this.controller.createRunProfile(
      vscode.l10n.t('Verify exercise'),
      vscode.TestRunProfileKind.Run,
      (request, token) => this.runHandler(request, token, 'run'),
      true,
      undefined,
      true,
    ));
    const coverageProfile = this.controller.createRunProfile(
      vscode.l10n.t('Verify with coverage'),
      vscode.TestRunProfileKind.Coverage,
      (request, token) => this.runHandler(request, token, 'coverage'),
      true,
    );
    coverageProfile.loadDetailedCoverage = async (_run, coverage) => this.coverage.detailsOf(coverage);
    const debugProfile = this.controller.createRunProfile(
      vscode.l10n.t('Debug checks'),
      vscode.TestRunProfileKind.Debug,
      (request, token) => this.runHandler(request, token, 'debug'),
      true,
    );
    this.disposables.push(runProfile, coverageProfile, debugProfile);

  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  /** Debounced rediscovery, for bursts of file events. */
  scheduleDiscover(): void {
    this.tree.scheduleDiscover();
  }

  /** Finds the exercise folders of the workspace and updates the tree (see ExerciseTree.discover). */
  discover(): Promise<void> {
    return this.tree.discover();
  }

  /**
   * The exercise folders of the workspace (each holding a marker) with the exercise id the marker
   * names, as discovery found them: the one place that searches the workspace for markers.
   */
  exerciseFolders(): Promise<{ folder: vscode.Uri; exerciseId: string }[]> {
    return this.tree.exerciseFolders();
  }

  /** For the course engine and tests: the exercise item of a folder, once discovered. */
  itemForFolder(folder: vscode.Uri): vscode.TestItem | undefined {
    return this.tree.itemForFolder(folder);
  }

  /**
   * Verifies the exercise in `folder` as if the learner clicked Verify on its item (the run
   * shows in the Test Explorer). Resolves when the run has ended.
   */
  async verifyFolder(folder: vscode.Uri, token?: vscode.CancellationToken, mode: Mode = 'run'): Promise<boolean> {
    await this.discover();
    const item = this.itemForFolder(folder);
    if (!item) return false;
    const source = token ? undefined : new vscode.CancellationTokenSource();
    try {
      await this.runHandler(new vscode.TestRunRequest([item]), token ?? source!.token, mode);
    } finally {
      source?.dispose();
    }
    return true;
  }

  private async runHandler(request: vscode.TestRunRequest, token: vscode.CancellationToken, mode: Mode): Promise<void> {
    if (request.continuous) return this.watchAndRun(request, token, mode);
    await this.tree.discovering;
    const groups = this.tree.groupRequest(request);
    const run = this.controller.createTestRun(request);
    try {
      for (const leaves of groups.values()) leaves.forEach((leaf) => run.enqueued(leaf));
      for (const [exerciseItem, leaves] of groups) {
        if (token.isCancellationRequested) {
          leaves.forEach((leaf) => run.skipped(leaf));
          continue;
        }
        await this.enqueue(exerciseItem.id, () => this.runExercise(run, exerciseItem, leaves, token, mode));
      }
    } catch (error) {
      this.log.error('Verify failed unexpectedly:', error instanceof Error ? (error.stack ?? error.message) : String(error));
      run.appendOutput(`${String(error)}\r\n`);
    } finally {
      run.end();
    }
  }

  /** Verifies never overlap on one exercise: each waits for the one before it. */
  private enqueue(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.queues.set(key, next);
    return next.finally(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    });
  }

  private async runExercise(
    run: vscode.TestRun,
    exerciseItem: vscode.TestItem,
    leaves: vscode.TestItem[],
    token: vscode.CancellationToken,
    mode: Mode,
  ): Promise<void> {
    const data = this.tree.dataOf(exerciseItem);
    const errorAll = (text: string) => {
      for (const leaf of leaves) {
        const d = this.tree.dataOf(leaf);
        const verdict: CheckVerdict = { key: d?.kind === 'check' ? d.key : leaf.id, outcome: 'errored', durationMs: 0, messages: [{ text }], output: '' };
        applyVerdict(run, leaf, verdict);
        this.onDidApplyEmitter.fire({ item: leaf, verdict });
      }
      run.appendOutput(`${text.replace(/\n/g, '\r\n')}\r\n`, undefined, exerciseItem);
    };
    if (!data || data.kind === 'check') return;
    if (data.kind === 'unknown') return errorAll(exerciseItem.error?.toString() ?? vscode.l10n.t('Unknown exercise.'));
    if (!vscode.workspace.isTrusted) {
      return errorAll(vscode.l10n.t('Restricted Mode: verifying runs the code in this workspace, so it is turned off. Trust the workspace to verify exercises.'));
    }
    // Nothing can debug the checks: say so before anything starts Python (even the probe).
    const noDebugger = mode === 'debug' ? missingDebugger() : undefined;
    if (noDebugger) return errorAll(noDebugger);
    const { exercise, folder } = data;
    const interpreter = await this.python.resolve(folder);
    const probe = await this.python.probe(interpreter.path);
    if (!probe.ok) {
      errorAll(probe.message);
      if (probe.problem === 'missing-packages' && probe.info) void offerInstall(this.python, this.log, probe.info.executable, probe.info.missing);
      return;
    }
    if (token.isCancellationRequested) return leaves.forEach((leaf) => run.skipped(leaf));

    const keys = leaves.map((leaf) => this.tree.dataOf(leaf)).flatMap((d) => (d?.kind === 'check' ? [d.key] : []));
    const allKeys: string[] = [];
    exerciseItem.children.forEach((child) => {
      const d = this.tree.dataOf(child);
      if (d?.kind === 'check') allKeys.push(d.key);
    });
    const complete = keys.length === allKeys.length;
    const leafByKey = new Map(leaves.map((leaf) => [(this.tree.dataOf(leaf) as { key: string }).key, leaf]));
    const config = vscode.workspace.getConfiguration('flaskTutor.verify', folder);
    const results = new RunResults();
    const applied = new Set<string>();
    const apply = (verdict: CheckVerdict) => {
      const leaf = leafByKey.get(verdict.key);
      if (!leaf || applied.has(verdict.key)) return;
      // An app that does not load is said once, on the first check (and in Problems); the other
      // checks say they did not run because of it, not the same paragraph again.
      if (results.appError && applied.size > 0 && verdict.outcome === 'errored') {
        const loc = results.appError.location ?? undefined;
        verdict = {
          ...verdict,
          messages: [{ text: vscode.l10n.t('Not run: your app does not load (the first check and the Problems view say why).'), location: loc }],
          output: '',
        };
      }
      applied.add(verdict.key);
      applyVerdict(run, leaf, verdict);
      this.onDidApplyEmitter.fire({ item: leaf, verdict });
    };
    run.appendOutput(
      `${vscode.l10n.t('Verifying {0} in {1} with {2}', exercise.id, folder.fsPath, `${interpreter.path} (Python ${probe.info.version})`)}\r\n`,
      undefined,
      exerciseItem,
    );
    leaves.forEach((leaf) => run.started(leaf));
    let raw = '';
    const coverageFile = mode === 'coverage' ? path.join(os.tmpdir(), `flask-tutor-coverage-${process.pid}-${Date.now()}.json`) : undefined;
    const options = {
      python: interpreter.path,
      pluginDir: this.pluginDir,
      checksDir: exercise.checksDir,
      appDir: folder.fsPath,
      selection: complete ? undefined : keys,
      appTarget: exercise.app,
      checkTimeoutSec: config.get<number>('checkTimeout', 10),
      runTimeoutSec: config.get<number>('runTimeout', 60),
      coverageFile,
      onEvent: (event: Parameters<RunResults['add']>[0]) => {
        results.add(event);
        if (event.event === 'session') this.log.info(`Verify ${exercise.id}: Python ${event.python}, pytest ${event.pytest}; files guarded by ${event.protection ?? 'the in-process guard'}`);
        // Stream verdicts of plain checks as they come; parametrized ones are folded at the end.
        if (event.event === 'result' && !/\[.*\]$/.test(event.nodeid)) {
          const verdict = results.verdict(checkKey(event.nodeid));
          if (verdict) apply(verdict);
        }
      },
      // pytest's own text goes to the log; the run's output gets the per-check output, and
      // pytest's text only when the run did not end normally (below).
      onOutput: (text: string) => {
        raw = (raw + text).slice(-64 * 1024);
        text.split(/\r?\n/).filter(Boolean).forEach((line) => this.log.debug(`pytest: ${line}`));
      },
    };
    let end;
    if (mode === 'debug') {
      end = await debugChecks(options, folder, token, this.log);
    } else {
      const handle = runPytest(options);
      const cancel = token.onCancellationRequested(() => handle.cancel());
      try {
        end = await handle.done;
      } finally {
        cancel.dispose();
      }
    }
    if (end.reason.kind !== 'completed' && end.reason.kind !== 'cancelled' && raw.trim()) {
      run.appendOutput(`${vscode.l10n.t('pytest output:')}\r\n${raw.replace(/\r?\n/g, '\r\n')}\r\n`, undefined, exerciseItem);
    }
    const verdicts = results.verdicts(keys, end.reason);
    for (const verdict of verdicts) {
      if (applied.has(verdict.key)) continue;
      apply(verdict);
    }
    if (coverageFile) {
      const added = this.coverage.add(run, coverageFile, folder.fsPath);
      if (added) this.onDidCoverEmitter.fire(added);
    }
    this.log.info(`Verified ${exercise.id}: ${verdicts.map((v) => v.outcome).join(', ')} (${end.reason.kind}, ${end.durationMs} ms)`);
    const appError = end.reason.kind === 'tampered' ? undefined : results.appError;
    if (end.reason.kind !== 'cancelled') this.problems.show(folder, appError);
    if (end.reason.kind !== 'cancelled') {
      const outcomes = new Map(verdicts.map((v) => [v.key, v.outcome]));
      this.onDidVerifyEmitter.fire({
        exerciseId: exercise.id,
        folder,
        complete,
        passed: complete && verdicts.every((v) => v.outcome === 'passed'),
        outcomes,
        appError: appError ? { message: appError.message, file: appError.location?.file, line: appError.location?.line } : undefined,
        failureHints: failureHints(verdicts),
      });
    }
  }

  /**
   * The exercise's files were replaced (Reset, Restore): its results describe code that is gone.
   * They are marked outdated in the Testing view and its Problems entry is removed.
   */
  invalidate(folder: vscode.Uri): void {
    const item = this.itemForFolder(folder);
    if (item) this.controller.invalidateTestResults(item);
    this.problems.show(folder, undefined);
  }

  /** The Problems entries of a folder (integration tests). */
  problemsOf(folder: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.problems.of(folder);
  }

  /** Continuous run: verify the requested exercises each time a file in their folder is saved. */
  private async watchAndRun(request: vscode.TestRunRequest, token: vscode.CancellationToken, mode: Mode): Promise<void> {
    const folders = new Map<string, vscode.Uri>();
    for (const [item] of this.tree.groupRequest(request)) {
      const data = this.tree.dataOf(item);
      if (data && data.kind !== 'check') folders.set(item.id, data.folder);
    }
    let timer: NodeJS.Timeout | undefined;
    const listener = vscode.workspace.onDidSaveTextDocument((doc) => {
      const inside = [...folders.values()].some((f) => !path.relative(f.fsPath, doc.uri.fsPath).startsWith('..'));
      if (!inside) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        const once = new vscode.TestRunRequest(request.include, request.exclude, request.profile, false);
        void this.runHandler(once, token, mode);
      }, DEBOUNCE_MS);
    });
    await new Promise<void>((resolve) =>
      token.onCancellationRequested(() => {
        if (timer) clearTimeout(timer);
        listener.dispose();
        resolve();
      }),
    );
  }
}
