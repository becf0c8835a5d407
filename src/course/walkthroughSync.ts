/**
 * Binds the walkthroughs to the progress store. Each exercise step completes on
 * `onContext:flaskTutor.passed.<id>`; we set those keys from the store at activation and after
 * every change, so ticks are right after a reload and on another machine (Settings Sync).
 *
 * The context key alone is not enough:
 * - VS Code ticks a step only when the key *changes* to true while its walkthrough service is
 *   alive. If the service starts later (it is created lazily, e.g. when the Welcome page first
 *   opens) and the key is already true, it records the event as seen and never ticks the step
 *   (VS Code 1.139, gettingStartedService `registerDoneListeners`). So we also tick passed
 *   exercises' steps ourselves with `welcome.markStepComplete`.
 * - A tick stays even if the key turns false. After a progress reset (here, or on another
 *   machine: the store's `epoch` changed) we untick the steps of exercises that are no longer
 *   passed with `welcome.markStepIncomplete`.
 */
import * as vscode from 'vscode';
import { isChapterId } from '../core/chapters';
import { passedContextKey, ProgressState } from '../core/progress';
import { fullStepId } from '../core/walkthroughGen';
import type { Catalog } from '../engine/catalog';
import type { Log } from '../log';

/** Machine-local (not synced) global state key: the epoch whose resets this machine applied. */
const APPLIED_EPOCH_KEY = 'flaskTutor.walkthroughEpoch';
export const HAS_PROGRESS_KEY = 'flaskTutor.hasProgress';
export const PYTHON_READY_KEY = 'flaskTutor.pythonReady';
/** The active editor shows a file of an exercise folder. */
export const EDITOR_IN_EXERCISE_KEY = 'flaskTutor.editorInExercise';

/** Walkthroughs register a little after start-up: how long the first step command may retry. */
const REGISTRY_WAIT_MS = 8000;
const RETRY_MS = 500;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WalkthroughSync {
  /** What we told VS Code, key → value (for tests and to avoid redundant setContext calls). */
  readonly contextKeys = new Map<string, boolean>();
  /** Exercises whose step we ticked in this session. */
  private readonly ticked = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  /**
   * @param contributedSteps full ids (`<extension id>#<walkthrough id>#<step id>`) of the steps in
   *   package.json: only those are ticked or unticked (fixture exercises and stale walkthroughs
   *   have none).
   */
  constructor(
    private readonly extensionId: string,
    private readonly catalog: Catalog,
    private readonly machineState: vscode.Memento,
    private readonly log: Log,
    private readonly contributedSteps: ReadonlySet<string>,
  ) {}

  async setContext(key: string, value: boolean): Promise<void> {
    if (this.contextKeys.get(key) === value) return;
    this.contextKeys.set(key, value);
    await vscode.commands.executeCommand('setContext', key, value);
  }

  /**
   * Sets every exercise's passed key from `state`, ticks passed exercises' steps, and unticks
   * steps when a reset happened (here or elsewhere). Calls run one after the other.
   */
  apply(state: ProgressState): Promise<void> {
    this.queue = this.queue.then(() => this.applyNow(state)).catch((error) => this.log.warn('Walkthrough sync failed:', String(error)));
    return this.queue;
  }

  private async applyNow(state: ProgressState): Promise<void> {
    const ids = new Set([...this.catalog.exercises.map((e) => e.id), ...Object.keys(state.exercises)]);
    await Promise.all(
      [...ids].map((id) => {
        const passed = state.exercises[id]?.status === 'passed';
        // Unset keys are false already: only write false for keys we set true before.
        const key = passedContextKey(id);
        return passed || this.contextKeys.has(key) ? this.setContext(key, passed) : undefined;
      }),
    );
    await this.setContext(HAS_PROGRESS_KEY, Object.keys(state.exercises).length > 0);
    const passed = (id: string) => state.exercises[id]?.status === 'passed';
    const applied = this.machineState.get<number>(APPLIED_EPOCH_KEY, 0);
    if (applied !== state.epoch) {
      await this.stepCommand('welcome.markStepIncomplete', this.catalog.exercises.filter((e) => !passed(e.id)).map((e) => e.id));
      await this.machineState.update(APPLIED_EPOCH_KEY, state.epoch);
    }
    await this.stepCommand('welcome.markStepComplete', this.catalog.exercises.filter((e) => passed(e.id) && !this.ticked.has(e.id)).map((e) => e.id));
  }

  private async stepCommand(command: 'welcome.markStepComplete' | 'welcome.markStepIncomplete', exerciseIds: readonly string[]): Promise<void> {
    const steps = exerciseIds.flatMap((id) => {
      const exercise = this.catalog.byId.get(id);
      const step = exercise && isChapterId(exercise.chapter) ? fullStepId(this.extensionId, exercise.chapter, id) : undefined;
      return step && this.contributedSteps.has(step) ? [{ id, step }] : [];
    });
    let deadline = Date.now() + REGISTRY_WAIT_MS;
    let failures = 0;
    for (const { id, step } of steps) {
      for (;;) {
        try {
          await vscode.commands.executeCommand(command, step);
          if (command === 'welcome.markStepComplete') this.ticked.add(id);
          else this.ticked.delete(id);
          deadline = 0; // the walkthroughs are registered: no more waiting
          break;
        } catch (error) {
          // Right after start-up the walkthroughs may not be registered yet: wait a little, once.
          if (Date.now() < deadline && /does not exist/.test(String(error))) {
            await sleep(RETRY_MS);
            continue;
          }
          failures += 1;
          if (failures <= 3) this.log.debug(`${command} ${step}: ${String(error)}`);
          break;
        }
      }
    }
    if (failures) this.log.info(`${command}: ${failures} walkthrough step(s) could not be updated.`);
  }
}
