/**
 * What every course command shares: the dependencies, the stores and views, the exercise the
 * learner works on, and `commands`, the table through which one feature runs another's command.
 *
 * Layering inside src/course: feature modules (startCommands, verifyCommands, backupCommands,
 * hintCommands, solutionCommands, briefCommands, progressCommands, pythonCommands,
 * walkthroughCommands) import this module and the leaf helpers (files, folders, openEditors, ui,
 * targets), never one another's commands: Verify offers a hint and a locked hint offers Verify, so
 * commands call each other through `session.commands`, which course.ts fills in. course.ts is the
 * only module that imports every feature.
 */
import * as vscode from 'vscode';
import { HintAvailability, hintAvailability } from '../core/hints';
import type { Catalog, Exercise } from '../engine/catalog';
import type { Log } from '../log';
import type { VerifyController } from '../verify/controller';
import type { PythonLocator } from '../verify/python';
import type { Backup } from './files';
import type { BriefPanel } from './brief';
import { exerciseFolderOf } from './folders';
import type { ProgressStore } from './progressStore';
import type { CourseStatusBar } from './statusBar';
import { Prompts, windowPrompts } from './ui';
import { EDITOR_IN_EXERCISE_KEY, WalkthroughSync } from './walkthroughSync';

export interface CourseDeps {
  log: Log;
  catalog: Catalog;
  verify: VerifyController;
  python: PythonLocator;
}

/** The exercise a command is about, and the learner's folder of it when started. */
export interface Target {
  exercise: Exercise;
  folder?: vscode.Uri;
  /** Chosen because nothing else named an exercise while an unrelated file was active. */
  implicit?: boolean;
}

/**
 * The course commands (the ids are COURSE_COMMANDS), each with the argument its command gets:
 * an exercise id, a folder or file Uri, a TestItem, a chapter id, or nothing (then it asks).
 */
export interface CourseCommands {
  /** Starts (or reopens) an exercise; resolves to its folder. */
  startExercise(arg?: unknown): Promise<vscode.Uri | undefined>;
  verifyExercise(arg?: unknown): Promise<boolean>;
  /** Restores the starter after backing up the learner's files; resolves to the backup. */
  resetExercise(arg?: unknown): Promise<Backup | undefined>;
  /** Restores a backup (after backing up the current files); resolves to the restored backup. */
  restoreBackup(arg?: unknown): Promise<Backup | undefined>;
  /** Reveals the next hint if the ladder allows it; resolves to what was available. */
  showHint(arg?: unknown): Promise<HintAvailability | undefined>;
  /** After confirmation, a read-only diff of the learner's file and the reference solution. */
  compareWithSolution(arg?: unknown): Promise<vscode.Uri | undefined>;
  openBrief(arg?: unknown): Promise<void>;
  showProgress(): Promise<void>;
  /** Resets progress of a chapter or of everything (argument `"all"` or a chapter id), after confirmation. */
  resetProgress(arg?: unknown): Promise<boolean>;
  exportProgress(): Promise<vscode.Uri | undefined>;
  importProgress(): Promise<boolean>;
  /** Checks the Python that verifies exercises; sets `flaskTutor.pythonReady`. */
  checkPython(): Promise<boolean>;
  /** Opens the "Start here" walkthrough or a chapter's (argument `"start"` or a chapter id). */
  openWalkthrough(arg?: unknown, step?: unknown): Promise<boolean>;
}

/** The parts of the course engine that course.ts builds and the session hands to every command. */
export interface SessionParts {
  progress: ProgressStore;
  brief: BriefPanel;
  sync: WalkthroughSync;
  statusBar: CourseStatusBar;
  /** Per exercise: the check authors' hints for the failures of its last verify (in memory). */
  lastFailureHints: Map<string, string[]>;
}

const CURRENT_KEY = 'flaskTutor.currentExercise';

export class CourseSession {
  readonly log: Log;
  readonly catalog: Catalog;
  readonly verify: VerifyController;
  readonly python: PythonLocator;
  readonly progress: ProgressStore;
  readonly brief: BriefPanel;
  readonly sync: WalkthroughSync;
  readonly statusBar: CourseStatusBar;
  readonly lastFailureHints: Map<string, string[]>;
  /** Every question to the learner goes through here (tests replace it). */
  prompts: Prompts = windowPrompts;
  /** The exercise worked on last (kept per workspace). */
  current: Target | undefined;
  /** The progress update of the latest verify (it hashes the learner's files first). */
  verifiedDone: Promise<void> = Promise.resolve();

  constructor(
    readonly context: vscode.ExtensionContext,
    deps: CourseDeps,
    parts: SessionParts,
    /** Filled in by course.ts: every command, for features that run another's. */
    readonly commands: CourseCommands,
  ) {
    ({ log: this.log, catalog: this.catalog, verify: this.verify, python: this.python } = deps);
    ({ progress: this.progress, brief: this.brief, sync: this.sync, statusBar: this.statusBar, lastFailureHints: this.lastFailureHints } = parts);
  }

  /** Restores the exercise worked on last in this workspace (at start-up). */
  restoreCurrent(): void {
    const saved = this.context.workspaceState.get<{ id: string; folder?: string }>(CURRENT_KEY);
    const exercise = saved && this.catalog.byId.get(saved.id);
    if (exercise) this.current = { exercise, folder: saved.folder ? vscode.Uri.parse(saved.folder) : undefined };
  }

  setCurrent(exercise: Exercise, folder: vscode.Uri | undefined): void {
    if (this.current?.exercise.id === exercise.id && this.current.folder?.toString() === folder?.toString()) return;
    this.current = { exercise, folder };
    void this.context.workspaceState.update(CURRENT_KEY, { id: exercise.id, folder: folder?.toString() });
    this.statusBar.update(exercise, this.progress.state);
  }

  followEditor(uri: vscode.Uri): void {
    const found = exerciseFolderOf(uri);
    const exercise = found && this.catalog.byId.get(found.exerciseId);
    // Verify / hint / brief buttons in the editor title of an exercise's files.
    void this.sync.setContext(EDITOR_IN_EXERCISE_KEY, !!exercise);
    if (exercise) this.setCurrent(exercise, found.folder);
  }

  hintAvailabilityOf(exercise: Exercise): HintAvailability {
    const record = this.progress.record(exercise.id);
    return hintAvailability(exercise.hints.length, {
      hintsUsed: record?.hintsUsed ?? 0,
      failsSinceHint: record?.failsSinceHint ?? 0,
      passed: record?.status === 'passed',
    });
  }
}
