/**
 * The warm worker (Linux): one long-lived Python process per interpreter that has pytest, Flask,
 * Werkzeug, Jinja, SQLAlchemy and Flask-SQLAlchemy imported already; each verify is a fork of it
 * (python/flask_tutor_pytest/_worker.py) under the same supervisor, secret, Landlock, timeouts and
 * run folder as a cold run. The contract is src/engine/launchContract.ts (docs/worker-protocol.md).
 *
 * Lifecycle: started lazily (by `prewarm` when an exercise is started or reopened with a ready
 * Python, src/course/pythonCommands.ts; after a cold verify with that interpreter), ended
 * after an idle time, when the interpreter or its installed packages change, on `disposeWarmWorkers`
 * and with the extension host (stdin end, parent-death signal). A worker that does not start, says
 * something it should not, or dies while a run is in flight is dropped with a log line, and the
 * run is run again cold (src/engine/pytestRun.ts).
 *
 * Not used on Windows (no fork) nor on macOS (the cold run's sandbox-exec profile cannot be put
 * around a fork): there every verify is cold, with the same results.
 */
import { ChildProcess, spawn } from 'child_process';
import { EventEmitter } from 'events';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { copyVerified } from './integrity';
import { LAUNCH_VERSION, parseWorkerMessage, WORKER_SCRIPT, WorkerMessage, WorkerRunRequest } from './launchContract';

export interface WarmSettings {
  enabled: boolean;
  /** Seconds without a run after which the worker ends. */
  idleSec: number;
  /** Where the worker's life and failures are said (the extension's log). */
  log: (line: string) => void;
}

const settings: WarmSettings = {
  enabled: process.env.FLASK_TUTOR_WARM !== '0',
  idleSec: Number(process.env.FLASK_TUTOR_WARM_IDLE || 600),
  log: () => undefined,
};

export function configureWarmWorker(update: Partial<WarmSettings>): void {
  Object.assign(settings, update);
  if (!settings.enabled) disposeWarmWorkers();
}

export function warmWorkerLog(line: string): void {
  settings.log(line);
}

/** The platforms where a run can be a fork of the worker with the cold run's protections. */
export function warmSupported(): boolean {
  return process.platform === 'linux';
}

/**
 * The worker's environment: the extension's, as a run sees it before its own variables. Python
 * reads some variables only at start-up (PYTHON*: hash seed, encodings, flags), so a run whose
 * PYTHON* variables (PYTHONPATH aside, applied per run) differ from these runs cold.
 */
export function workerEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  env.PYTHONDONTWRITEBYTECODE = '1';
  env.PYTHONIOENCODING = 'utf-8:backslashreplace';
  delete env.PYTHONPATH;
  return env;
}

/** Whether a run with `runEnv` behaves in a fork of a worker started with `workerEnv` as cold. */
export function sameStartup(runEnv: Record<string, string>, started: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(runEnv), ...Object.keys(started)].filter((k) => k.startsWith('PYTHON') && k !== 'PYTHONPATH'));
  for (const k of keys) if (runEnv[k] !== started[k]) return false;
  return true;
}

interface Fingerprint {
  [file: string]: number;
}

function fingerprint(files: string[]): Fingerprint {
  const out: Fingerprint = {};
  for (const f of files) {
    try {
      out[f] = fs.statSync(f).mtimeMs;
    } catch {
      out[f] = -1;
    }
  }
  return out;
}

/** A run forked by the worker, shaped like the ChildProcess that runPytest drives. */
export class WarmChild extends EventEmitter {
  pid: number | undefined;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  /** Set when the worker failed this run: runPytest runs it again cold. */
  failure: string | undefined;
  readonly stdout = new OutputStream();
  readonly stderr = new OutputStream();
  private ended = false;

  constructor(readonly id: number) {
    super();
  }

  onMessage(m: WorkerMessage): void {
    switch (m.type) {
      case 'started':
        this.pid = m.pid;
        this.emit('spawn');
        break;
      case 'output':
        (m.stream === 'stdout' ? this.stdout : this.stderr).push(m.text);
        break;
      case 'exit':
        this.exitCode = m.code;
        this.signalCode = (m.signal as NodeJS.Signals | null) ?? null;
        this.emit('exit', this.exitCode, this.signalCode);
        break;
      case 'closed':
        this.end();
        break;
      case 'refused':
        this.fail(`the worker could not start the run (${m.reason})`);
        break;
    }
  }

  /** The worker is gone or refused: wait until the run's supervisor is gone too, then end. */
  fail(reason: string): void {
    if (this.ended || this.exitCode !== null || this.signalCode !== null) {
      if (!this.ended) this.end();
      return;
    }
    this.failure = reason;
    const pid = this.pid;
    const finish = () => {
      this.exitCode = null;
      this.signalCode = 'SIGKILL';
      this.emit('exit', null, 'SIGKILL');
      this.end();
    };
    if (pid === undefined) return finish();
    // The supervisor gets SIGTERM when the worker dies (parent-death signal) and ends its tree;
    // make sure, then wait (bounded) so the run's folder is not removed under it.
    const deadline = Date.now() + 3000;
    const poll = () => {
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (!alive || Date.now() > deadline) return finish();
      if (Date.now() > deadline - 1500) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      setTimeout(poll, 20);
    };
    poll();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('close', this.exitCode, this.signalCode);
  }

  kill(): boolean {
    return false; // runPytest ends runs through their process group (killTree)
  }
}

class OutputStream extends EventEmitter {
  setEncoding(): this {
    return this;
  }
  push(text: string): void {
    this.emit('data', text);
  }
  destroy(): void {
    this.removeAllListeners('data');
  }
}

export class WarmWorker {
  private proc: ChildProcess | undefined;
  private readonly runs = new Map<number, WarmChild>();
  private nextId = 1;
  private buffer = '';
  private dir: string | undefined;
  private print: Fingerprint = {};
  ready = false;
  ended = false;
  readonly readyPromise: Promise<boolean>;
  info: Extract<WorkerMessage, { type: 'ready' }> | undefined;
  private resolveReady!: (ok: boolean) => void;

  constructor(
    readonly python: string,
    readonly pluginDir: string,
    readonly env: Record<string, string>,
    private readonly onEnd: (worker: WarmWorker) => void,
  ) {
    this.readyPromise = new Promise((resolve) => (this.resolveReady = resolve));
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  start(): void {
    const started = Date.now();
    // The worker runs from a verified private copy of the plugin folder (as every run does).
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fbt-warm-worker-'));
    const copy = path.join(this.dir, 'flask_tutor_pytest');
    let problem: string | undefined;
    try {
      problem = copyVerified(path.join(this.pluginDir, 'flask_tutor_pytest'), copy);
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    const script = path.join(copy, WORKER_SCRIPT);
    if (problem || !fs.existsSync(script)) return this.end(`not started: ${problem ?? 'no worker script in the plugin folder'}`);
    const proc = spawn(this.python, [script, '--idle', String(settings.idleSec)], {
      cwd: this.dir,
      env: this.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.proc = proc;
    proc.stdin?.on('error', () => undefined);
    proc.stdout?.setEncoding('utf8');
    proc.stdout?.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        if (line.trim()) this.onLine(line, started);
      }
    });
    let errText = '';
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (t: string) => (errText = (errText + t).slice(-2000)));
    proc.on('error', (error) => this.end(`could not start ${this.python}: ${error.message}`));
    proc.on('exit', (code, signal) => {
      const why = code === 0 && !this.runs.size ? 'ended (idle)' : `ended unexpectedly (${signal ?? `exit code ${code}`})${errText.trim() ? `: ${errText.trim().split('\n').slice(-2).join(' ')}` : ''}`;
      this.end(why);
    });
  }

  private onLine(line: string, started: number): void {
    const m = parseWorkerMessage(line);
    if (!m) {
      this.end(`said something outside protocol ${LAUNCH_VERSION}: ${line.slice(0, 200)}`);
      return;
    }
    if (m.type === 'ready') {
      if (m.threads !== 1) {
        this.end(`has ${m.threads} threads after its imports; a fork would copy only one`);
        return;
      }
      this.info = m;
      let real: string;
      try {
        real = fs.realpathSync(this.python);
      } catch {
        // The interpreter went away while the worker started (a .venv deleted): no worker.
        this.end(`started, but its interpreter ${this.python} is gone`);
        return;
      }
      this.print = fingerprint([this.python, real, ...m.sitedirs]);
      this.ready = true;
      this.unref(); // an idle worker never keeps Node running (runs keep their own handles)
      warmWorkerLog(`Warm worker for ${this.python} ready in ${Date.now() - started} ms (pid ${m.pid}; preloaded ${m.preloaded.join(', ') || 'nothing'})`);
      this.resolveReady(true);
      return;
    }
    this.runs.get(m.id)?.onMessage(m);
    if (m.type === 'closed' || m.type === 'refused') this.runs.delete(m.id);
  }

  private unref(): void {
    const proc = this.proc;
    if (!proc) return;
    proc.unref();
    for (const s of [proc.stdin, proc.stdout, proc.stderr] as unknown as ({ unref?: () => void } | null)[]) s?.unref?.();
  }

  /** The interpreter or its installed packages changed since the worker started. */
  stale(): boolean {
    const now = fingerprint(Object.keys(this.print));
    return Object.entries(this.print).some(([f, t]) => now[f] !== t);
  }

  run(request: Omit<WorkerRunRequest, 'type' | 'id'>): WarmChild {
    const child = new WarmChild(this.nextId++);
    this.runs.set(child.id, child);
    const message: WorkerRunRequest = { type: 'run', id: child.id, ...request };
    const ok = this.proc?.stdin?.write(`${JSON.stringify(message)}\n`);
    if (ok === undefined) setImmediate(() => child.fail('the worker is not running'));
    return child;
  }

  /** Ends the worker (its runs fall back to cold, see WarmChild.fail). */
  end(why: string): void {
    if (this.ended) return;
    this.ended = true;
    this.ready = false;
    this.resolveReady(false);
    warmWorkerLog(`Warm worker for ${this.python}${this.proc?.pid ? ` (pid ${this.proc.pid})` : ''} ${why}`);
    try {
      this.proc?.stdin?.end();
    } catch {
      /* gone */
    }
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    for (const child of this.runs.values()) child.fail(`the warm worker ${why}`);
    this.runs.clear();
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.onEnd(this);
  }
}

const workers = new Map<string, WarmWorker>();
const keyOf = (python: string, pluginDir: string) => `${python}\0${pluginDir}`;

/**
 * The ready worker for this interpreter, or undefined (then the run is cold). A stale worker
 * (interpreter or packages changed) or one started with other start-up variables is ended.
 */
export function readyWorker(python: string, pluginDir: string, runEnv: Record<string, string>): WarmWorker | undefined {
  if (!settings.enabled || !warmSupported()) return undefined;
  const worker = workers.get(keyOf(python, pluginDir));
  if (!worker?.ready) return undefined;
  if (worker.stale()) {
    worker.end('ended: the interpreter or its installed packages changed');
    return undefined;
  }
  if (!sameStartup(runEnv, worker.env)) return undefined;
  return worker;
}

/** Starts the worker for this interpreter if none runs; resolves when it is ready (false: none). */
export function prewarm(python: string, pluginDir: string, base: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!settings.enabled || !warmSupported()) return Promise.resolve(false);
  const key = keyOf(python, pluginDir);
  const existing = workers.get(key);
  if (existing && !existing.ended) return existing.readyPromise;
  const worker = new WarmWorker(python, pluginDir, workerEnv(base), (w) => {
    if (workers.get(key) === w) workers.delete(key);
  });
  workers.set(key, worker);
  worker.start();
  return worker.readyPromise;
}

/** The running worker of an interpreter (tests, benchmark). */
export function warmWorkerFor(python: string, pluginDir: string): WarmWorker | undefined {
  return workers.get(keyOf(python, pluginDir));
}

export function disposeWarmWorkers(): void {
  for (const w of [...workers.values()]) w.end('ended (disposed)');
  workers.clear();
}
