/**
 * Keeps the progress state (src/core/progress.ts) in the extension's global state under one
 * key, registered for Settings Sync. Always reads the memento afresh: Settings Sync and other
 * windows update it underneath us.
 */
import * as vscode from 'vscode';
import {
  ExerciseProgress,
  PROGRESS_STATE_KEY,
  ProgressEvent,
  ProgressState,
  readStoredProgress,
  reduceProgress,
} from '../core/progress';
import type { Log } from '../log';

export type SyncedMemento = vscode.Memento & { setKeysForSync(keys: readonly string[]): void };

export class ProgressStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ProgressState>();
  /** Fires after every change this window makes, and when `refresh()` sees an outside change. */
  readonly onDidChange = this.emitter.event;
  private lastSeen: string;
  private reportedProblems = false;
  private warnedNewer = false;

  constructor(
    private readonly memento: SyncedMemento,
    private readonly log: Log,
  ) {
    memento.setKeysForSync([PROGRESS_STATE_KEY]);
    this.lastSeen = JSON.stringify(this.memento.get(PROGRESS_STATE_KEY) ?? null);
  }

  dispose(): void {
    this.emitter.dispose();
  }

  private read(): { state: ProgressState; newer: boolean } {
    const read = readStoredProgress(this.memento.get(PROGRESS_STATE_KEY));
    if (read.problems.length && !this.reportedProblems) {
      this.reportedProblems = true;
      read.problems.forEach((p) => this.log.warn(`Progress record dropped: ${p}`));
    }
    return read;
  }

  get state(): ProgressState {
    return this.read().state;
  }

  record(id: string): ExerciseProgress | undefined {
    return this.state.exercises[id];
  }

  /**
   * Applies an event and saves. The read-reduce-write happens synchronously (the memento's
   * in-memory value changes before `update` resolves), so concurrent dispatches never lose one.
   */
  async dispatch(event: ProgressEvent): Promise<ProgressState> {
    const { state: before, newer } = this.read();
    const after = reduceProgress(before, event);
    if (after === before) return before;
    if (newer) {
      if (!this.warnedNewer) {
        this.warnedNewer = true;
        this.log.warn('Progress was saved by a newer version of Flask Backend Tutor; not overwriting it.');
        void vscode.window.showWarningMessage(
          vscode.l10n.t('Your progress was saved by a newer version of Flask Backend Tutor (through Settings Sync). Update the extension to record progress in this window.'),
        );
      }
      return before;
    }
    const saved = this.memento.update(PROGRESS_STATE_KEY, after);
    this.lastSeen = JSON.stringify(after);
    this.emitter.fire(after);
    await saved;
    return after;
  }

  /** Fires `onDidChange` when the stored state changed outside this window (sync, another window). */
  refresh(): void {
    const now = JSON.stringify(this.memento.get(PROGRESS_STATE_KEY) ?? null);
    if (now === this.lastSeen) return;
    this.lastSeen = now;
    this.emitter.fire(this.state);
  }
}
