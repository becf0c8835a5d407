/**
 * A request-console session: the learner's app answering requests sent from the editor, with no
 * server, through the same engine as Verify (runPytest: the hash-verified plugin, the supervisor,
 * the sandbox, a temporary database, the signed event channel). The session is one pytest run of
 * the plugin's console check (python/flask_tutor_pytest/console_session/); requests are files of
 * an inbox folder, answers are `console` events (src/core/protocol.ts). One test client serves the
 * session, so cookies and the temporary database last across requests; `reset` starts afresh.
 * Node only, no `vscode`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ConsoleRequest, ConsoleResponse, VerifyEvent } from '../core/protocol';
import { PytestRunHandle, runPytest } from './pytestRun';

export interface ConsoleSessionOptions {
  python: string;
  /** The extension's `python/` folder. */
  pluginDir: string;
  appDir: string;
  appTarget?: string;
  /** A request that takes longer ends the session (default 15 s). */
  requestTimeoutMs?: number;
  /** The session ends after this long without a request (default 30 min). */
  idleSeconds?: number;
  onOutput?: (text: string) => void;
}

export type ConsoleRequestInput = Omit<ConsoleRequest, 'id'>;

export class ConsoleError extends Error {
  constructor(
    message: string,
    /** Where in the learner's code, when known (an app that does not load). */
    readonly location?: { file: string; line: number } | null,
  ) {
    super(message);
  }
}

/** The response fields of a `console` event (the envelope's v, event and kind left out). */
function toResponse(event: ConsoleResponse & { v?: unknown; event?: unknown; kind?: unknown }): ConsoleResponse {
  const response: Record<string, unknown> = { ...event };
  delete response.v;
  delete response.event;
  delete response.kind;
  return response as unknown as ConsoleResponse;
}

interface Pending {
  resolve: (r: ConsoleResponse) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** One pytest run serving requests: its inbox, its requests waiting for an answer. */
interface Run {
  handle: PytestRunHandle;
  inbox: string;
  ready: Promise<void>;
  pending: Map<number, Pending>;
  nextId: number;
  /** Why it ended, once it has. */
  ended?: Error;
}

export class ConsoleSession {
  private run: Run | undefined;

  constructor(private readonly options: ConsoleSessionOptions) {}

  /** Whether a session is running (started and not ended). */
  get running(): boolean {
    return this.run !== undefined && this.run.ended === undefined;
  }

  /** Starts the session (once); resolves when the app is loaded and answers. */
  start(): Promise<void> {
    if (this.run && !this.run.ended) return this.run.ready;
    const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-console-'));
    const pending = new Map<number, Pending>();
    let loaded = false;
    let appError: ConsoleError | undefined;
    let markReady: () => void = () => undefined;
    let fail: (e: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      fail = reject;
    });
    const onEvent = (event: VerifyEvent) => {
      if (event.event === 'app' && event.status === 'error') appError = new ConsoleError(event.message, event.location);
      if (event.event === 'result' && event.outcome !== 'passed' && !appError) appError = new ConsoleError(event.message ?? 'The console session stopped.', event.location);
      if (event.event !== 'console') return;
      if (event.kind === 'ready') {
        loaded = true;
        markReady();
        return;
      }
      const p = pending.get(event.id);
      if (!p) return;
      clearTimeout(p.timer);
      pending.delete(event.id);
      p.resolve(toResponse(event));
    };
    const idle = this.options.idleSeconds ?? 1800;
    const handle = runPytest({
      python: this.options.python,
      pluginDir: this.options.pluginDir,
      checksDir: path.join(this.options.pluginDir, 'flask_tutor_pytest', 'console_session'),
      appDir: this.options.appDir,
      appTarget: this.options.appTarget,
      // The session is one long check: its limits are the idle time, not a check's seconds.
      checkTimeoutSec: idle + 60,
      runTimeoutSec: idle + 120,
      env: { FLASK_TUTOR_CONSOLE_INBOX: inbox, FLASK_TUTOR_CONSOLE_IDLE: String(idle) },
      onEvent,
      onOutput: this.options.onOutput,
    });
    const run: Run = { handle, inbox, ready, pending, nextId: 1 };
    this.run = run;
    void handle.done.then((end) => {
      const detail = 'detail' in end.reason ? `: ${end.reason.detail}` : '';
      const error = appError ?? new ConsoleError(end.reason.kind === 'completed' ? 'The console session ended.' : `The console session stopped (${end.reason.kind}${detail}).`);
      run.ended = error;
      if (!loaded) fail(error);
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(error);
      }
      pending.clear();
      fs.rmSync(inbox, { recursive: true, force: true });
    });
    return ready;
  }

  /** Sends one request; starts the session if needed. */
  async send(request: ConsoleRequestInput): Promise<ConsoleResponse> {
    await this.start();
    const run = this.run!;
    const id = run.nextId++;
    const timeoutMs = this.options.requestTimeoutMs ?? 15000;
    const answer = new Promise<ConsoleResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        run.pending.delete(id);
        reject(new ConsoleError(`Your app did not answer ${request.method} ${request.path} within ${Math.round(timeoutMs / 1000)} s (an infinite loop, or a call that waits forever?). The session was restarted: its database and cookies are fresh.`));
        if (this.run === run) this.reset();
      }, timeoutMs);
      run.pending.set(id, { resolve, reject, timer });
    });
    // Whole files only: the session reads `<n>.json` as soon as the name appears.
    const file = path.join(run.inbox, `${String(id).padStart(6, '0')}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify({ ...request, id }));
    fs.renameSync(`${file}.tmp`, file);
    return answer;
  }

  /** Ends the session: its database, cookies and app are gone; the next request starts a new one. */
  reset(): void {
    const run = this.run;
    this.run = undefined;
    // Requests still waiting are answered by the run's end (rejected with its reason).
    run?.handle.cancel();
  }

  /** Resolves when the current session's process tree has ended (for tests and shutdown). */
  async ended(): Promise<void> {
    await this.run?.handle.done;
  }

  dispose(): void {
    this.reset();
  }
}
